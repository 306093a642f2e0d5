import { z } from 'zod';
import { brokerKindSchema } from './broker.js';

/** Lag of one partition (brokers with partitions): the end offset minus the consumer's committed position. */
const partitionLagSchema = z.object({
  partition: z.number().int().nonnegative(),
  /** Decimal offset; null when the consumer has committed nothing for this partition. */
  committed: z.string().nullable(),
  high: z.string(),
  /** null when nothing is committed (the lag is unknown, not zero). */
  lag: z.number().nonnegative().nullable(),
});

/** How far one consumer is behind on one channel. */
const consumerChannelSchema = z.object({
  channel: z.string(),
  /** Messages waiting for this consumer; null when the broker cannot tell. */
  lag: z.number().nonnegative().nullable(),
  /** Age of the oldest message waiting, in seconds, where the broker can tell (SQS, JetStream). */
  lagSeconds: z.number().nonnegative().nullable().optional(),
  /** Messages per second the consumer got past, between the last two readings. */
  rate: z.number().nonnegative(),
  /** Per-partition detail, for brokers with partitions (Kafka). */
  partitions: z.array(partitionLagSchema).optional(),
  /** Messages delivered but not yet acknowledged (AMQP unacked, JetStream ack-pending). */
  unacked: z.number().nonnegative().optional(),
  /** Messages delivered more than once, where the broker counts them (JetStream `num_redelivered`). */
  redelivered: z.number().nonnegative().optional(),
});

/** A connected client of a consumer: a group member, a queue's consumer, a durable's subscriber. */
const consumerMemberSchema = z.object({
  clientId: z.string(),
  host: z.string(),
  /** What it is assigned, when the broker says (Kafka partitions). */
  assignments: z.array(z.object({ channel: z.string(), partitions: z.array(z.number().int().nonnegative()) })),
});

/** What the broker calls this kind of consumer, shown in the UI. */
export const consumerKinds = ['consumer-group', 'queue', 'durable', 'subscription', 'rule'] as const;
export type ConsumerKind = (typeof consumerKinds)[number];

/**
 * An application's consumer on a tapped broker, read through the broker's own admin interface:
 * a Kafka consumer group, a RabbitMQ queue and its consumers, a NATS durable, a Redis stream
 * group, an SQS queue. Who consumes which channel, and how far behind it is. Flowscope's own
 * tap consumers are never listed.
 */
export const consumerSchema = z.object({
  /** Source id, e.g. `kafka:prod`. */
  source: z.string(),
  broker: brokerKindSchema,
  cluster: z.string(),
  kind: z.enum(consumerKinds),
  /** The broker's name for it: group id, queue name, durable name. */
  id: z.string(),
  /** The service it is drawn as on the map: a configured name, or `id`. */
  service: z.string(),
  /** The broker's state word (Stable, Empty, running, …). */
  state: z.string(),
  members: z.array(consumerMemberSchema),
  channels: z.array(consumerChannelSchema),
  /** Total over channels with a known lag; null when none is known. */
  lag: z.number().nonnegative().nullable(),
  /** Total lag over time, oldest first (one reading per refresh, bounded). */
  history: z.array(z.object({ at: z.number(), lag: z.number().nonnegative() })),
  updatedAt: z.number(),
});
export type PartitionLag = Readonly<z.infer<typeof partitionLagSchema>>;
export type ConsumerChannel = Readonly<z.infer<typeof consumerChannelSchema>>;
export type ConsumerMember = Readonly<z.infer<typeof consumerMemberSchema>>;
export type Consumer = Readonly<z.infer<typeof consumerSchema>>;

/** `GET /api/consumers` (and its older alias `GET /api/consumer-groups`). */
export const consumersResponseSchema = z.object({ consumers: z.array(consumerSchema) });
export type ConsumersResponse = z.infer<typeof consumersResponseSchema>;

/**
 * A consumer as Flowscope last read it before `at`, from its lag history: its total lag then, and
 * per channel only where it reads one channel (the history keeps totals). Undefined when its history
 * does not reach back to `at` (what it was then is not known).
 */
export function consumerAt(c: Consumer, at: number): Consumer | undefined {
  let reading: { at: number; lag: number } | undefined;
  for (const h of c.history) if (h.at <= at) reading = h;
  if (!reading) return undefined;
  const lag = reading.lag;
  const single = c.channels.length === 1;
  return {
    ...c,
    lag,
    channels: c.channels.map((ch) => ({ channel: ch.channel, lag: single ? lag : null, rate: 0 })),
    history: c.history.filter((h) => h.at <= at),
    updatedAt: reading.at,
  };
}

/** Readings of total lag kept per consumer for its history (at a 10 s refresh: 20 minutes). */
export const LAG_HISTORY_LIMIT = 120;
