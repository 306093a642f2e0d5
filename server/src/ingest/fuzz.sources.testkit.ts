/**
 * Every broker source's decode path for the fuzz suite: a generator of messages shaped as that
 * broker's client library hands them over, and the source's own function that turns one into a
 * RawRecord (the functions the running sources call, nothing re-implemented here).
 */
import fc from 'fast-check';
import type { EventOrigin } from '@flowscope/shared';
import type { RawRecord } from '../sources/contract.js';
import { recordOf, type TapMessage } from '../sources/aws/envelopes.js';
import { kafkaRecord } from '../sources/kafka/records.js';
import { toRecord as mqttRecord, type Delivery } from '../sources/mqtt/records.js';
import { coreRecord, kvRecord, streamRecord as natsStreamRecord, type Headers } from '../sources/nats/records.js';
import { deliveredTo, fromFirehoseDelivery, fromFirehosePublish } from '../sources/rabbitmq/firehose.js';
import { FIREHOSE, toRecord as amqpRecord, streamRecord as amqpStreamRecord } from '../sources/rabbitmq/records.js';
import { DEFAULT_PAYLOAD_FIELDS, readReply } from '../sources/redis/entries.js';
import {
  duplicateId,
  headerName,
  headerText,
  hostileBytes,
  hostileHeaders,
  hostileKey,
  hostileName,
  hostileText,
  hostileTime,
  hostileTimeText,
} from './fuzz.generators.testkit.js';

/** amqplib's and kafkajs's message types, as the sources' functions take them (no client import here). */
type Message = Parameters<typeof amqpRecord>[0];
type KafkaMessage = Parameters<typeof kafkaRecord>[2];

/**
 * One source's decode path. `decode` is the source's own function; undefined means the message
 * is not one the source takes (an SQS message that is no SNS or EventBridge envelope).
 * `withPayload` makes an ordinary message around a given body (the suite's fixed extremes).
 */
export type FuzzSource = {
  readonly name: string;
  readonly origin: EventOrigin;
  /** Runs on a source thread in the server (normalize there, then across as EncodedEvents). */
  readonly threaded: boolean;
  readonly message: fc.Arbitrary<unknown>;
  decode(message: unknown, n: number): RawRecord | undefined;
  withPayload(body: Buffer): unknown;
};

const source = <N>(s: {
  name: string;
  broker: EventOrigin['broker'];
  threaded?: boolean;
  message: fc.Arbitrary<N>;
  decode(m: N, n: number): RawRecord | undefined;
  withPayload(body: Buffer): N;
}): FuzzSource => ({
  name: s.name,
  origin: { broker: s.broker, cluster: 'fuzz' },
  threaded: s.threaded ?? false,
  message: s.message,
  decode: (m, n) => s.decode(m as N, n),
  withPayload: s.withPayload,
});

const NOW = 1_764_000_000_000;
const bytesValue = fc.oneof(hostileBytes, fc.constant(null));

type KafkaInput = { topic: string; partition: number; message: KafkaMessage };
const kafkaHeaderValue = fc.oneof(
  headerText,
  hostileKey,
  fc.array(fc.oneof(headerText, hostileKey), { maxLength: 4 }),
  fc.constant(undefined),
);
const kafka = source<KafkaInput>({
  name: 'kafka',
  broker: 'kafka',
  threaded: true,
  message: fc.record({
    topic: hostileName,
    partition: fc.nat({ max: 2 ** 31 - 1 }),
    message: fc.record({
      offset: fc.oneof(fc.constantFrom('0', '1', '2'), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String)),
      timestamp: hostileTimeText,
      key: fc.oneof(hostileKey, fc.constant(null)),
      headers: hostileHeaders(kafkaHeaderValue, (i) => `v${i}`).map((pairs) => Object.fromEntries(pairs)),
      value: bytesValue,
      attributes: fc.constant(0),
    }),
  }) as fc.Arbitrary<KafkaInput>,
  decode: (m) => kafkaRecord(m.topic, m.partition, m.message),
  withPayload: (value) => ({
    topic: 'orders',
    partition: 0,
    message: { offset: '7', timestamp: String(NOW), key: null, headers: {}, value, attributes: 0 },
  }),
});

/** A value of an AMQP field table as amqplib decodes it, tables nested up to `depth`. */
const amqpValue = (depth: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: headerText, weight: 6 },
    {
      arbitrary: fc.oneof(fc.double(), fc.integer(), fc.constant(2 ** 64), fc.boolean(), fc.constant(null)),
      weight: 3,
    },
    { arbitrary: hostileKey, weight: 2 },
    { arbitrary: hostileTime.map((value) => ({ '!': 'timestamp', value })), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 2000 }).map(nestedTable), weight: 1 },
    {
      arbitrary: depth > 0 ? fc.array(amqpValue(depth - 1), { maxLength: 3 }) : fc.constant([]),
      weight: 1,
    },
  );

/** `{ a: { a: … 1 } }`, `depth` tables deep: an AMQP header can nest tables in tables. */
function nestedTable(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const amqpTable = hostileHeaders(amqpValue(2), (i) => i).map((pairs) => Object.fromEntries(pairs));
type AmqpInput = { kind: 'queue' | 'stream' | 'publish' | 'deliver'; msg: Message; offset: number };
const amqpProperties = fc.record({
  headers: amqpTable,
  correlationId: fc.option(hostileText, { nil: undefined }),
  messageId: fc.option(hostileText, { nil: undefined }),
  appId: fc.option(hostileText, { nil: undefined }),
  type: fc.option(hostileText, { nil: undefined }),
  timestamp: fc.option(hostileTime, { nil: undefined }),
});
const rabbitmq = source<AmqpInput>({
  name: 'rabbitmq',
  broker: 'rabbitmq',
  message: fc
    .record({
      kind: fc.constantFrom('queue' as const, 'stream' as const, 'publish' as const, 'deliver' as const),
      exchange: hostileName,
      routingKey: hostileText,
      redelivered: fc.boolean(),
      properties: amqpProperties,
      content: hostileBytes,
      offset: fc.nat(),
    })
    .map(({ kind, exchange, routingKey, redelivered, properties, content, offset }) => {
      const firehose = kind === 'publish' || kind === 'deliver';
      const traced = {
        properties: { ...properties, correlation_id: properties.correlationId },
        routing_keys: [routingKey],
      };
      const msg = {
        content,
        fields: {
          exchange: firehose ? FIREHOSE : exchange,
          routingKey: firehose ? `${kind}.${exchange}` : routingKey,
          redelivered,
          deliveryTag: 1,
        },
        properties: firehose ? { headers: { ...traced, exchange_name: exchange, user: routingKey } } : properties,
      } as unknown as Message;
      return { kind, msg, offset };
    }),
  decode: ({ kind, msg, offset }, n) => {
    if (kind === 'queue') return amqpRecord(msg, `t-${n}`);
    if (kind === 'stream') return amqpStreamRecord(msg, 'stream.orders', offset);
    const queue = deliveredTo(msg);
    return queue === undefined ? fromFirehosePublish(msg, `t-${n}`) : fromFirehoseDelivery(msg, `t-${n}`, queue);
  },
  withPayload: (content) => ({
    kind: 'queue',
    offset: 0,
    msg: { content, fields: { exchange: 'orders', routingKey: 'placed' }, properties: { headers: {} } } as Message,
  }),
});

type RedisInput = { stream: Buffer; id: Buffer; fields: (Buffer | null)[] };
const redisField = fc.tuple(
  fc.oneof(fc.constantFrom(...DEFAULT_PAYLOAD_FIELDS), headerName).map((s) => Buffer.from(s)),
  hostileBytes,
);
const redis = source<RedisInput>({
  name: 'redis',
  broker: 'redis',
  threaded: true,
  message: fc.record({
    stream: fc.oneof(
      hostileName.map((s) => Buffer.from(s)),
      hostileKey,
    ),
    id: fc
      .tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
      .map(([ms, seq]) => Buffer.from(`${ms}-${seq}`)),
    fields: fc.oneof(
      fc.array(redisField, { maxLength: 6 }).map((pairs) => pairs.flat()),
      fc.array(hostileBytes, { maxLength: 5 }),
      hostileHeaders(hostileKey, (i) => Buffer.from(String(i))).map((pairs) =>
        pairs.flatMap(([k, v]) => [Buffer.from(k), v]),
      ),
    ),
  }),
  decode: (m) => readReply([[m.stream, [[m.id, m.fields]]]], DEFAULT_PAYLOAD_FIELDS)[0]?.records[0],
  withPayload: (value) => ({
    stream: Buffer.from('orders'),
    id: Buffer.from(`${NOW}-0`),
    fields: [Buffer.from('payload'), value],
  }),
});

/** nats.js's MsgHdrs as read by the source: names with one or more values each. */
const natsHeaders = (pairs: [string, string][]): Headers => {
  const byName = new Map<string, string[]>();
  for (const [k, v] of pairs) byName.set(k, [...(byName.get(k) ?? []), v]);
  return { keys: () => [...byName.keys()], values: (k) => byName.get(k) ?? [] };
};
type NatsInput = {
  kind: 'core' | 'stream' | 'kv';
  subject: string;
  data: Buffer;
  headers: Headers;
  reply: string;
  seq: number;
  timestamp: number;
};
const nats = source<NatsInput>({
  name: 'nats',
  broker: 'nats',
  threaded: true,
  message: fc.record({
    kind: fc.constantFrom('core' as const, 'stream' as const, 'kv' as const),
    subject: hostileName,
    data: hostileBytes,
    headers: hostileHeaders(headerText, (i) => String(i)).map(natsHeaders),
    reply: hostileText,
    seq: fc.oneof(fc.nat(), fc.constant(2 ** 53 + 2)),
    timestamp: hostileTime,
  }),
  decode: (m, n) => {
    if (m.kind === 'core') return coreRecord(m, `core-${n}`, NOW);
    return m.kind === 'stream' ? natsStreamRecord('ORDERS', m) : kvRecord(m.subject, m);
  },
  withPayload: (data) => ({
    kind: 'core',
    subject: 'orders',
    data,
    headers: natsHeaders([]),
    reply: '',
    seq: 1,
    timestamp: NOW,
  }),
});

type MqttInput = { topic: string; payload: Buffer; delivery: Delivery };
const mqtt = source<MqttInput>({
  name: 'mqtt',
  broker: 'mqtt',
  message: fc.record({
    topic: hostileName,
    payload: hostileBytes,
    delivery: fc.record({
      qos: fc.constantFrom(0 as const, 1 as const, 2 as const),
      retain: fc.boolean(),
      dup: fc.boolean(),
      properties: fc.option(
        fc.record({
          correlationData: fc.option(hostileKey, { nil: undefined }),
          responseTopic: fc.option(hostileText, { nil: undefined }),
          contentType: fc.option(hostileText, { nil: undefined }),
          userProperties: hostileHeaders(fc.oneof(headerText, fc.array(headerText, { maxLength: 3 })), String).map(
            (pairs) => Object.fromEntries(pairs),
          ),
        }),
        { nil: undefined },
      ),
    }),
  }) as fc.Arbitrary<MqttInput>,
  decode: (m, n) => mqttRecord(m.topic, m.payload, m.delivery, `mqtt-${n}`, NOW),
  withPayload: (payload) => ({ topic: 'orders', payload, delivery: { qos: 1, retain: false } }),
});

type AwsInput = { kind: 'sns' | 'events' | 'other'; message: TapMessage; bus?: string };
const attribute = fc.tuple(fc.constantFrom('String', 'Number', 'Binary'), headerText).map(([Type, v]) => ({
  Type,
  Value: Type === 'Binary' ? Buffer.from(v).toString('base64') : v,
}));
const snsBody = fc.record({
  Type: fc.constant('Notification'),
  MessageId: duplicateId,
  TopicArn: hostileName.map((t) => `arn:aws:sns:eu-west-1:123456789012:${t}`),
  Timestamp: fc.oneof(
    hostileTimeText,
    hostileTime.map((t) => (Number.isFinite(t) ? new Date(Math.abs(t) % 8.64e15).toISOString() : String(t))),
  ),
  Message: hostileBytes.map((b) => b.toString('utf8')),
  Subject: fc.option(hostileText, { nil: undefined }),
  MessageAttributes: hostileHeaders(attribute, (i) => ({ Type: 'String', Value: String(i) })).map((p) =>
    Object.fromEntries(p),
  ),
});
const eventsBody = fc.record({
  id: duplicateId,
  source: hostileText,
  'detail-type': hostileText,
  time: hostileTimeText,
  resources: fc.array(hostileText, { maxLength: 3 }),
  detail: hostileBytes.map((b) => b.toString('utf8')),
});
const aws = source<AwsInput>({
  name: 'sqs',
  broker: 'sqs',
  message: fc
    .record({
      kind: fc.oneof(
        { arbitrary: fc.constantFrom('sns' as const, 'events' as const), weight: 6 },
        { arbitrary: fc.constant('other' as const), weight: 1 },
      ),
      sns: snsBody,
      events: eventsBody,
      other: hostileBytes.map((b) => b.toString('utf8')),
      bus: hostileName,
      attributes: fc.record({ SentTimestamp: hostileTimeText, AWSTraceHeader: hostileText }),
    })
    .map(({ kind, sns, events, other, bus, attributes }) => {
      // EventBridge's detail is JSON inside the envelope: a JSON payload is put there as JSON.
      const detail = (() => {
        try {
          return JSON.parse(events.detail) as unknown;
        } catch {
          return events.detail;
        }
      })();
      const body = kind === 'sns' ? JSON.stringify(sns) : kind === 'events' ? envelope(events, detail) : other;
      return {
        kind,
        message: { MessageId: 'sqs-1', Body: body, Attributes: attributes },
        ...(kind === 'events' ? { bus } : {}),
      };
    }),
  decode: (m) => recordOf(m.message, m.bus),
  withPayload: (body) => ({
    kind: 'sns',
    message: {
      Body: JSON.stringify({
        Type: 'Notification',
        MessageId: 'n-1',
        TopicArn: 'arn:aws:sns:eu-west-1:1:orders',
        Message: body.toString('utf8'),
      }),
    },
  }),
});

/** An EventBridge envelope; a detail too deep for JSON.stringify is spliced in as its text. */
function envelope(events: Record<string, unknown>, detail: unknown): string {
  try {
    return JSON.stringify({ ...events, detail });
  } catch {
    return JSON.stringify({ ...events, detail: null }).replace('"detail":null', `"detail":${String(events.detail)}`);
  }
}

/** Whether a message is one its source must turn into a record (all but foreign SQS messages). */
export const mustDecode = (m: unknown): boolean => (m as Partial<AwsInput>).kind !== 'other';

export const fuzzSources: readonly FuzzSource[] = [kafka, rabbitmq, redis, nats, mqtt, aws];
