import { z } from 'zod';

/**
 * Architecture insights: the hard parts of event-driven systems, measured from the traffic
 * Flowscope sees (ADR 0027). Each section is per channel, consumer or flow kind; `findings`
 * ranks what a person should look at, each with the events that show it.
 */

const percentilesSchema = z.object({ p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number() });

/** A consumer that received the same message more than once, and how it reacted. */
export const consumerIdempotencySchema = z.object({
  /** The service that reacted (produced events caused by the message). */
  service: z.string(),
  /** The channel the duplicated messages came from. */
  channel: z.string(),
  /** Duplicated messages the service reacted to. */
  duplicates: z.number().int(),
  /** Of those, how many it reacted to more than once (an effect per copy). */
  reactedTwice: z.number().int(),
  verdict: z.enum(['idempotent', 'not-idempotent']),
  /** Event ids of duplicated messages, the reacted-twice ones first: each opens its flow. */
  evidence: z.array(z.string()),
});
export type ConsumerIdempotency = Readonly<z.infer<typeof consumerIdempotencySchema>>;

/** How long a flow kind takes until its last consumer has reacted: its consistency window. */
export const kindWindowSchema = percentilesSchema.extend({
  kind: z.string(),
  /** Completed flows measured (the newest, at most 1,000). */
  samples: z.number().int(),
  /** p95 per minute the flows ended in, oldest first. */
  overTime: z.array(z.object({ minute: z.number(), p95Ms: z.number(), samples: z.number().int() })),
  slowestFlowId: z.string().optional(),
});
export type KindWindow = Readonly<z.infer<typeof kindWindowSchema>>;

/** How far behind the producer of what it reads a consumer runs: cause's time to its effect's. */
export const consumerLagSchema = percentilesSchema.extend({
  service: z.string(),
  channel: z.string(),
  samples: z.number().int(),
});
export type ConsumerLagStat = Readonly<z.infer<typeof consumerLagSchema>>;

/** Events of one entity on one channel (or partition) that arrived out of their order. */
export const orderingStatSchema = z.object({
  channel: z.string(),
  partition: z.number().int().optional(),
  /** What the order was judged by: a declared field (`version`, `sequence`…) or the timestamps. */
  basis: z.string(),
  /** Events compared with the one before them of the same entity. */
  checked: z.number().int(),
  reordered: z.number().int(),
  examples: z.array(
    z.object({
      eventId: z.string(),
      entity: z.string(),
      /** This event's value of the basis, and the greater one that had arrived before it. */
      value: z.number(),
      after: z.number(),
    }),
  ),
});
export type OrderingStat = Readonly<z.infer<typeof orderingStatSchema>>;

export const schemaChangeKinds = ['field-added', 'field-missing', 'type-changed'] as const;

/** A change of an event type's payload schema, judged for the consumers that read it. */
export const schemaChangeSchema = z.object({
  channel: z.string(),
  type: z.string(),
  path: z.string(),
  kind: z.enum(schemaChangeKinds),
  change: z.string(),
  at: z.number(),
  /** Old readers can read the new data (forward), new readers the old data (backward). */
  forward: z.boolean(),
  backward: z.boolean(),
  breaking: z.boolean(),
  producer: z.string().optional(),
  /** Services that consume the channel: the ones a breaking change may break. */
  consumers: z.array(z.string()),
  /** An event that showed the change. */
  eventId: z.string().optional(),
});
export type SchemaChange = Readonly<z.infer<typeof schemaChangeSchema>>;

/** What an event type's name and payload say it is: information, not an error. */
export const typeSemanticsSchema = z.object({
  channel: z.string(),
  type: z.string(),
  /** `fact`: a past-tense name (`order.placed`); `command`: an imperative (`ProcessOrder`). */
  naming: z.enum(['fact', 'command', 'unclear']),
  /** `notification`: ids only; `state`: carries the entity's state. */
  payload: z.enum(['notification', 'state', 'unknown']),
  /** Services consuming the channel: a command read by several is a broadcast command. */
  consumers: z.number().int(),
  note: z.string().optional(),
});
export type TypeSemantics = Readonly<z.infer<typeof typeSemanticsSchema>>;

/** One dead-letter channel: where its messages came from, who sent them, why, and how many went back. */
export const deadLetterStatSchema = z.object({
  channel: z.string(),
  count: z.number().int(),
  sources: z.array(
    z.object({ channel: z.string(), producer: z.string(), count: z.number().int(), eventId: z.string() }),
  ),
  reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** Dead letters seen again on another channel with the same message id. */
  redriven: z.number().int(),
});
export type DeadLetterStat = Readonly<z.infer<typeof deadLetterStatSchema>>;

export const findingKinds = [
  'not-idempotent',
  'breaking-schema',
  'reordering',
  'dead-letters',
  'broadcast-command',
] as const;
export type FindingKind = (typeof findingKinds)[number];

/** Something to look at, ranked by how many flows it affects; `evidence` holds event ids. */
export const findingSchema = z.object({
  kind: z.enum(findingKinds),
  severity: z.enum(['alert', 'warning', 'info']),
  title: z.string(),
  detail: z.string(),
  flows: z.number().int(),
  evidence: z.array(z.string()),
});
export type Finding = Readonly<z.infer<typeof findingSchema>>;

export const insightsResponseSchema = z.object({
  generatedAt: z.number(),
  findings: z.array(findingSchema),
  idempotency: z.array(consumerIdempotencySchema),
  consistency: z.object({ kinds: z.array(kindWindowSchema), consumers: z.array(consumerLagSchema) }),
  ordering: z.array(orderingStatSchema),
  schemaChanges: z.array(schemaChangeSchema),
  semantics: z.array(typeSemanticsSchema),
  deadLetters: z.array(deadLetterStatSchema),
});
export type InsightsResponse = z.infer<typeof insightsResponseSchema>;
