import { z } from 'zod';
import { correlationKeySchema } from './correlationKey.js';
import { flowEventSchema } from './flowEvent.js';

export const flowStatuses = ['open', 'completed', 'failed', 'stuck'] as const;
export type FlowStatus = (typeof flowStatuses)[number];

export const anomalyKinds = [
  'duplicate',
  'out-of-order',
  'missing-step',
  'unexpected-step',
  'dead-lettered',
  'failure',
  'stuck',
] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

/** Something about a flow a person should look at. `eventId` points at the event concerned, if one. */
export const anomalySchema = z.object({
  kind: z.enum(anomalyKinds),
  message: z.string(),
  eventId: z.string().optional(),
  /** The template step concerned (`type@channel`), for missing or unexpected steps. */
  step: z.string().optional(),
  /** For a record read again (a duplicate of `eventId`): when the second copy arrived. */
  seq: z.number().int().optional(),
});
export type Anomaly = Readonly<z.infer<typeof anomalySchema>>;

/** One step to the next: `from` caused `to` (or, without causation data, came right before it). */
export const hopSchema = z.object({
  from: z.string(),
  to: z.string(),
  latencyMs: z.number(),
  /** The service that reacted to `from` by producing `to`. */
  service: z.string().optional(),
  /** True when the link comes from time order, not from a causation id. */
  inferred: z.boolean(),
});
export type Hop = Readonly<z.infer<typeof hopSchema>>;

export const flowSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(flowStatuses),
  start: z.number(),
  end: z.number(),
  durationMs: z.number(),
  eventCount: z.number().int(),
  keys: z.array(correlationKeySchema),
  services: z.array(z.string()),
  channels: z.array(z.string()),
  anomalyCount: z.number().int(),
  anomalyKinds: z.array(z.enum(anomalyKinds)),
});
export type FlowSummary = Readonly<z.infer<typeof flowSummarySchema>>;

export const flowSchema = flowSummarySchema.extend({
  /** Events in step order: causes before effects, then time, then id. */
  events: z.array(flowEventSchema),
  hops: z.array(hopSchema),
  anomalies: z.array(anomalySchema),
  /** The template of this flow's kind, when one has been learned. */
  expected: z.array(z.object({ step: z.string(), seen: z.boolean() })).optional(),
});
export type Flow = Readonly<z.infer<typeof flowSchema>>;

/** A step of a flow kind is identified by its event type and channel. */
export const stepOf = (e: { type?: string | undefined; channel: string }) => `${e.type ?? '(untyped)'}@${e.channel}`;
