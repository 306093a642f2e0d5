import { z } from 'zod';

/** Flow conditions a breakpoint can fire on, instead of a filter over events. */
export const flowConditions = ['failed', 'stuck', 'anomaly'] as const;
export type FlowCondition = (typeof flowConditions)[number];

/** The most breakpoints the server keeps: each one is tested against every live event. */
export const MAX_BREAKPOINTS = 50;

/**
 * A new breakpoint: a filter expression (the stream's filter language) that live events are
 * tested against, or a flow condition (a flow fails, becomes stuck, or shows a new anomaly).
 */
export const breakpointInputSchema = z
  .object({
    expression: z.string().trim().min(1).max(2000).optional(),
    condition: z.enum(flowConditions).optional(),
    label: z.string().max(200).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => (b.expression === undefined) !== (b.condition === undefined), {
    message: 'give either an expression or a condition (failed, stuck or anomaly)',
  });
export type BreakpointInput = z.infer<typeof breakpointInputSchema>;

/** What can change on a breakpoint once set. */
export const breakpointPatchSchema = z
  .object({ enabled: z.boolean().optional(), label: z.string().max(200).optional() })
  .strict();
export type BreakpointPatch = z.infer<typeof breakpointPatchSchema>;

/** Where a breakpoint fired: the event (and its flow) the view stops at. */
export const breakpointHitSchema = z.object({
  breakpointId: z.string(),
  seq: z.number().int().nonnegative(),
  eventId: z.string(),
  /** The flow the event belongs to as it fired (flow ids are event ids). */
  flowId: z.string(),
  /** Server time of the hit, epoch ms. */
  at: z.number(),
  /** Why, for people: the expression matched, or what happened to the flow. */
  reason: z.string(),
});
export type BreakpointHit = Readonly<z.infer<typeof breakpointHitSchema>>;

export const breakpointSchema = z.object({
  id: z.string(),
  expression: z.string().optional(),
  condition: z.enum(flowConditions).optional(),
  label: z.string().optional(),
  enabled: z.boolean(),
  /** How many times it fired since it was set (also while disabled: never). */
  hits: z.number().int().nonnegative(),
  createdAt: z.number(),
  lastHit: breakpointHitSchema.optional(),
});
export type Breakpoint = Readonly<z.infer<typeof breakpointSchema>>;

export const breakpointsResponseSchema = z.object({ breakpoints: z.array(breakpointSchema) });
export type BreakpointsResponse = z.infer<typeof breakpointsResponseSchema>;
