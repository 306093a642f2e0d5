import { z } from 'zod';

/** Flowscope's own lag on one partition (Kafka) or stream (Redis, JetStream). */
const channelLagSchema = z.object({
  channel: z.string(),
  /** Kafka's partition; absent for a stream, which is one log. */
  partition: z.number().int().nonnegative().optional(),
  /** Records after the last one Flowscope read, up to the end of the log when measured. */
  records: z.number().int().nonnegative(),
  /** Age of the last record read when behind, 0 when caught up; absent when nothing was read yet. */
  seconds: z.number().nonnegative().optional(),
});
export type ChannelLag = Readonly<z.infer<typeof channelLagSchema>>;

/**
 * How far the tap is behind the end of its logs. Only sources with a log end have it (Kafka,
 * Redis Streams, JetStream); a source status without `lag` has none to measure (RabbitMQ
 * queues, MQTT, core NATS, SQS): "not applicable", never 0.
 */
export const sourceLagSchema = z.object({
  /** Records behind, summed over every partition and stream. */
  records: z.number().int().nonnegative(),
  /** The largest `seconds` of any partition or stream; absent when none is known. */
  seconds: z.number().nonnegative().optional(),
  channels: z.array(channelLagSchema).readonly(),
  /** When the records were counted (ms since the epoch). */
  measuredAt: z.number(),
  /**
   * Set while the tap cannot keep up (far behind and further behind at every reading): says so,
   * and that it keeps reading in order and skips nothing.
   */
  notice: z.string().optional(),
});
export type SourceLag = Readonly<z.infer<typeof sourceLagSchema>>;
