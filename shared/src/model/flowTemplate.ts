import { z } from 'zod';

export const templateStepSchema = z.object({
  step: z.string(),
  /** How many learned flows contained the step. */
  count: z.number().int(),
  /** Latency from the previous step, over the learned flows. */
  p50Ms: z.number(),
  p99Ms: z.number(),
});
export type TemplateStep = Readonly<z.infer<typeof templateStepSchema>>;

/** The canonical path of a flow kind, learned from settled flows that did not fail. */
export const flowTemplateSchema = z.object({
  kind: z.string(),
  steps: z.array(templateStepSchema),
  /** Settled, non-failed flows the template was learned from. */
  samples: z.number().int(),
  /** How many of them followed the canonical path exactly. */
  canonicalCount: z.number().int(),
  p50DurationMs: z.number(),
  p99DurationMs: z.number(),
  /** Flows of this kind that settled (completed, failed or stopped), learned from or not. */
  settled: z.number().int().optional(),
  /** Of those, how many failed (a failure event or a dead letter). */
  failed: z.number().int().optional(),
  /** Of those, how many had at least one anomaly. */
  anomalous: z.number().int().optional(),
  /** A learned flow whose duration is nearest the median, and the slowest learned one. */
  typicalFlowId: z.string().optional(),
  slowestFlowId: z.string().optional(),
});
export type FlowTemplate = Readonly<z.infer<typeof flowTemplateSchema>>;
