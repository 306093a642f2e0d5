import { causationHeaders, messageIdHeaders, producerHeaders, typeHeaders } from '@flowscope/shared';
import type { Message } from 'amqplib';
import type { RawHeaderValue, RawRecord } from '../contract.js';
import { bodyOf, headerValue } from './records.js';

/** The publish's properties as the firehose carries them (snake_case, in the `properties` header). */
type TraceProperties = {
  correlation_id?: unknown;
  message_id?: unknown;
  app_id?: unknown;
  type?: unknown;
  user_id?: unknown;
  content_type?: unknown;
  content_encoding?: unknown;
  reply_to?: unknown;
  timestamp?: unknown;
  headers?: Record<string, unknown>;
};

/** What a firehose copy says about the publish or delivery it traces. */
type Trace = {
  readonly props: TraceProperties;
  readonly routingKey: string;
  readonly exchange: string;
  readonly user?: string;
  readonly connection?: string;
  readonly channel?: string;
  readonly redelivered: boolean;
};

function traceOf(msg: Message): Trace {
  const t = msg.properties.headers ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
  const keys = Array.isArray(t.routing_keys) ? (t.routing_keys as unknown[]) : [];
  return {
    props: (t.properties ?? {}) as TraceProperties,
    routingKey: String(keys[0] ?? ''),
    exchange: typeof t.exchange_name === 'string' ? t.exchange_name : '',
    ...(text(t.user) ? { user: text(t.user) } : {}),
    ...(text(t.connection) ? { connection: text(t.connection) } : {}),
    ...(text(t.channel) ? { channel: text(t.channel) } : {}),
    redelivered: t.redelivered === 1 || t.redelivered === true,
  };
}

/** The connection a firehose copy names (`ip:port -> ip:port`): deliveries to the tap itself are left out by it. */
export const traceConnection = (msg: Message): string | undefined => traceOf(msg).connection;

/** The queue of a `deliver.<queue>` copy; undefined for a `publish.<exchange>` copy. */
export const deliveredTo = (msg: Message): string | undefined =>
  msg.fields.routingKey.startsWith('deliver.') ? msg.fields.routingKey.slice('deliver.'.length) : undefined;

const put = (headers: Record<string, RawHeaderValue>, pairs: [string, unknown][]) => {
  for (const [k, v] of pairs) if ((typeof v === 'string' && v !== '') || typeof v === 'number') headers[k] = String(v);
};

/**
 * A firehose copy of a publish to the default exchange (straight to a queue): the channel is the
 * queue, the publish's properties sit in the `properties` header, and `user` and `connection`
 * say who published it.
 */
export function fromFirehosePublish(msg: Message, id: string): RawRecord {
  const trace = traceOf(msg);
  const { props } = trace;
  const headers: Record<string, RawHeaderValue> = {};
  for (const [k, v] of Object.entries(props.headers ?? {})) headers[k] = headerValue(v);
  put(headers, [
    ['correlation-id', props.correlation_id],
    ['message-id', props.message_id],
    ['app-id', props.app_id],
    ['type', props.type],
    ['user-id', props.user_id],
    ['content-type', props.content_type],
    ['content-encoding', props.content_encoding],
    ['amqp.publisher-user', trace.user],
    ['amqp.publisher-connection', trace.connection],
  ]);
  headers['amqp.routing-key'] = trace.routingKey;
  headers['amqp.firehose'] = 'publish';
  return {
    channel: trace.routingKey || '(default exchange)',
    messageId: id,
    timestamp: typeof props.timestamp === 'number' ? props.timestamp * 1000 : Date.now(),
    key: trace.routingKey,
    headers,
    value: bodyOf(msg.content),
  };
}

/** Headers that would make a delivery look like a second publish: its id, its producer, its type, its cause. */
const PUBLISH_ONLY = new Set(
  [...messageIdHeaders, ...producerHeaders, ...typeHeaders, ...causationHeaders].map((h) => h.toLowerCase()),
);

/**
 * A firehose copy of a delivery to an application's consumer (`deliver.<queue>`), as an
 * observation on the queue: channel the queue, `amqp.firehose: deliver`, the consumer's queue,
 * user, connection and channel. It is not a second publish: the publish's id, producer, type and
 * cause move under `amqp.published.*`; its type is `<type> (delivered)`, its cause the publish's
 * message id (so the timeline shows publish → delivery), and correlation keys stay so it joins the
 * flow. The time is when the firehose copy arrived (the publish's timestamp is not the delivery's).
 */
export function fromFirehoseDelivery(msg: Message, id: string, queue: string): RawRecord {
  const trace = traceOf(msg);
  const { props } = trace;
  const headers: Record<string, RawHeaderValue> = {};
  let type = typeof props.type === 'string' && props.type !== '' ? props.type : undefined;
  let published: string | undefined = typeof props.message_id === 'string' ? props.message_id : undefined;
  for (const [k, v] of Object.entries(props.headers ?? {})) {
    const lower = k.toLowerCase();
    if (!PUBLISH_ONLY.has(lower)) headers[k] = headerValue(v);
    else headers[`amqp.published.${k}`] = headerValue(v);
    if (typeof v === 'string' && typeHeaders.some((h) => h.toLowerCase() === lower)) type ??= v;
    if (typeof v === 'string' && messageIdHeaders.some((h) => h.toLowerCase() === lower)) published ??= v;
  }
  put(headers, [
    ['correlation-id', props.correlation_id],
    ['user-id', props.user_id],
    ['content-type', props.content_type],
    ['content-encoding', props.content_encoding],
    ['reply-to', props.reply_to],
    ['amqp.published.message-id', props.message_id],
    ['amqp.published.app-id', props.app_id],
    ['amqp.published.type', props.type],
    ['causation-id', published],
    ['amqp.exchange', trace.exchange],
    ['amqp.routing-key', trace.routingKey],
    ['amqp.consumer-queue', queue],
    ['amqp.consumer-user', trace.user],
    ['amqp.consumer-connection', trace.connection],
    ['amqp.consumer-channel', trace.channel],
  ]);
  headers.type = type ? `${type} (delivered)` : 'delivered';
  headers['amqp.firehose'] = 'deliver';
  if (trace.redelivered) headers['amqp.redelivered'] = 'true';
  return {
    channel: queue,
    messageId: id,
    timestamp: Date.now(),
    key: trace.routingKey,
    headers,
    value: bodyOf(msg.content),
  };
}
