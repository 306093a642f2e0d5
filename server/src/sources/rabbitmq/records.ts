import { isoTime } from '@flowscope/shared';
import type { Message, MessageProperties } from 'amqplib';
import type { RawHeaderValue, RawRecord } from '../contract.js';

/** The firehose exchange: a copy of every publish and delivery of a vhost, when an admin turned tracing on. */
export const FIREHOSE = 'amq.rabbitmq.trace';

/** A delivery from the tap queue as a raw record: AMQP properties become headers under the names correlation knows. */
export function toRecord(msg: Message, id: string): RawRecord {
  const { fields, properties: p } = msg;
  const headers = propertyHeaders(p);
  headers['amqp.routing-key'] = fields.routingKey;
  if (fields.redelivered) headers['amqp.redelivered'] = 'true';
  return {
    channel: fields.exchange,
    // Per tap and delivery: AMQP has no offset, and message_id is set (or not) by the producer.
    messageId: id,
    timestamp: typeof p.timestamp === 'number' ? p.timestamp * 1000 : Date.now(),
    key: fields.routingKey,
    headers,
    value: bodyOf(msg.content),
  };
}

/**
 * An entry of a stream read by offset. Its offset (header `x-stream-offset`) is its id: the same
 * entry read again, by this tap after a restart or by another, is the same event.
 */
export function streamRecord(msg: Message, stream: string, offset: number): RawRecord {
  const { fields, properties: p } = msg;
  const headers = propertyHeaders(p);
  headers['amqp.routing-key'] = fields.routingKey;
  return {
    channel: stream,
    messageId: String(offset),
    timestamp: typeof p.timestamp === 'number' ? p.timestamp * 1000 : Date.now(),
    key: fields.routingKey,
    headers,
    value: bodyOf(msg.content),
  };
}

/** The application headers and the properties correlation reads, as headers. */
function propertyHeaders(p: MessageProperties): Record<string, RawHeaderValue> {
  const headers: Record<string, RawHeaderValue> = {};
  for (const [k, v] of Object.entries(p.headers ?? {})) headers[k] = headerValue(v);
  const props: [string, unknown][] = [
    ['correlation-id', p.correlationId],
    ['message-id', p.messageId],
    ['app-id', p.appId],
    ['type', p.type],
    ['user-id', p.userId],
    ['content-type', p.contentType],
    ['content-encoding', p.contentEncoding],
    ['reply-to', p.replyTo],
  ];
  for (const [k, v] of props) if (v !== undefined && v !== '') headers[k] = String(v);
  return headers;
}

/**
 * A header value as amqplib decodes it: text, bytes (`x` fields stay bytes), numbers and booleans,
 * arrays and tables (as JSON), and typed values such as `{ '!': 'timestamp', value: seconds }`.
 */
export function headerValue(v: unknown): RawHeaderValue {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return new Uint8Array(v);
  if (typeof v !== 'object') return String(v);
  const typed = plain(v);
  return typeof typed === 'string' ? typed : JSON.stringify(typed);
}

/** amqplib's typed values made plain for JSON: timestamps as ISO times, bytes as text when they are. */
function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return v.map(plain);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (o['!'] === 'timestamp' && typeof o.value === 'number') return isoTime(o.value * 1000);
  if (typeof o['!'] === 'string' && 'value' in o) return plain(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
}

/** The body exactly as published (amqplib never decodes it); an empty body is null. */
export function bodyOf(content: Buffer): Uint8Array | null {
  return content.length === 0 ? null : content;
}
