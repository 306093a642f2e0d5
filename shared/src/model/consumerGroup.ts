import { z } from 'zod';

/** Lag of one partition: the broker's end offset minus the group's committed offset. */
export const partitionLagSchema = z.object({
  partition: z.number().int().nonnegative(),
  /** Decimal offset; null when the group has committed nothing for this partition. */
  committed: z.string().nullable(),
  high: z.string(),
  /** null when nothing is committed (the lag is unknown, not zero). */
  lag: z.number().nonnegative().nullable(),
});

export const groupTopicSchema = z.object({
  topic: z.string(),
  partitions: z.array(partitionLagSchema),
  /** Sum over partitions with a committed offset; null when none has one. */
  lag: z.number().nonnegative().nullable(),
  /** Records per second the group committed past, between the last two readings. */
  rate: z.number().nonnegative(),
});

export const groupMemberSchema = z.object({
  clientId: z.string(),
  host: z.string(),
  assignments: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int().nonnegative()) })),
});

/**
 * An application's consumer group on a tapped Kafka cluster, read through the admin API: who
 * consumes which topic, and how far behind it is. Flowscope's own tap groups are never listed.
 */
export const consumerGroupSchema = z.object({
  /** Source id, e.g. `kafka:prod`. */
  source: z.string(),
  cluster: z.string(),
  groupId: z.string(),
  /** The service it is drawn as on the map: a configured name, or the group id. */
  service: z.string(),
  state: z.string(),
  members: z.array(groupMemberSchema),
  topics: z.array(groupTopicSchema),
  lag: z.number().nonnegative().nullable(),
  /** Total lag over time, oldest first (one reading per refresh, bounded). */
  history: z.array(z.object({ at: z.number(), lag: z.number().nonnegative() })),
  updatedAt: z.number(),
});
export type PartitionLag = Readonly<z.infer<typeof partitionLagSchema>>;
export type GroupTopic = Readonly<z.infer<typeof groupTopicSchema>>;
export type GroupMember = Readonly<z.infer<typeof groupMemberSchema>>;
export type ConsumerGroup = Readonly<z.infer<typeof consumerGroupSchema>>;

export const consumerGroupsResponseSchema = z.object({ groups: z.array(consumerGroupSchema) });
export type ConsumerGroupsResponse = z.infer<typeof consumerGroupsResponseSchema>;
