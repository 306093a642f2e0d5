import type { AsyncMessage } from 'rabbitmq-client';
import type { RawHeaderValue, RawRecord } from '../contract.js';

/** The firehose exchange: a copy of every publish and delivery of a vhost, when an admin turned tracing on. */
export const FIREHOSE = 'amq.rabbitmq.trace';

/** A delivery as a raw record: AMQP properties become headers under the names correlation knows. */
export function toRecord(msg: AsyncMessage, id: string): RawRecord {
  if (msg.exchange === FIREHOSE) return fromFirehose(msg, id);
  const headers: Record<string, RawHeaderValue> = {};
  for (const [k, v] of Object.entries(msg.headers ?? {})) headers[k] = headerValue(v);
  const props: [string, unknown][] = [
    ['correlation-id', msg.correlationId],
    ['message-id', msg.messageId],
    ['app-id', msg.appId],
    ['type', msg.type],
    ['user-id', msg.userId],
    ['content-type', msg.contentType],
    ['content-encoding', msg.contentEncoding],
    ['reply-to', msg.replyTo],
    ['amqp.routing-key', msg.routingKey],
  ];
  for (const [k, v] of props) if (v !== undefined && v !== '') headers[k] = String(v);
  if (msg.redelivered) headers['amqp.redelivered'] = 'true';
  return {
    channel: msg.exchange,
    // Per tap and delivery: AMQP has no offset, and message_id is set (or not) by the producer.
    messageId: id,
    timestamp: msg.timestamp ? msg.timestamp * 1000 : Date.now(),
    key: msg.routingKey,
    headers,
    value: bodyOf(msg.body),
  };
}

function headerValue(v: unknown): RawHeaderValue {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return new Uint8Array(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * rabbitmq-client decodes text/plain to a string and application/json to a value; other bodies
 * stay bytes. Parsed JSON is serialized again (same value, whitespace may differ). Empty is null.
 */
function bodyOf(body: unknown): Uint8Array | string | null {
  if (Buffer.isBuffer(body)) return body.length === 0 ? null : body;
  if (typeof body === 'string') return body === '' ? null : body;
  return body === undefined ? null : JSON.stringify(body);
}

type TraceProperties = {
  correlation_id?: unknown;
  message_id?: unknown;
  app_id?: unknown;
  type?: unknown;
  user_id?: unknown;
  content_type?: unknown;
  timestamp?: unknown;
  headers?: Record<string, unknown>;
};

/**
 * A firehose copy of a publish to the default exchange (straight to a queue): the channel is the
 * queue, the publish's properties sit in the `properties` header, and `user` and `connection`
 * say who published it.
 */
function fromFirehose(msg: AsyncMessage, id: string): RawRecord {
  const trace = msg.headers ?? {};
  const props = (trace.properties ?? {}) as TraceProperties;
  const headers: Record<string, RawHeaderValue> = {};
  for (const [k, v] of Object.entries(props.headers ?? {})) headers[k] = headerValue(v);
  const mapped: [string, unknown][] = [
    ['correlation-id', props.correlation_id],
    ['message-id', props.message_id],
    ['app-id', props.app_id],
    ['type', props.type],
    ['user-id', props.user_id],
    ['content-type', props.content_type],
    ['amqp.publisher-user', trace.user],
    ['amqp.publisher-connection', trace.connection],
  ];
  for (const [k, v] of mapped) if (typeof v === 'string' && v !== '') headers[k] = v;
  const queue = Array.isArray(trace.routing_keys) ? String(trace.routing_keys[0] ?? '') : '';
  headers['amqp.routing-key'] = queue;
  headers['amqp.firehose'] = 'publish';
  return {
    channel: queue || '(default exchange)',
    messageId: id,
    timestamp: typeof props.timestamp === 'number' ? props.timestamp * 1000 : Date.now(),
    key: queue,
    headers,
    value: bodyOf(msg.body),
  };
}
