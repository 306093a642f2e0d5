import type { RawRecord } from '../contract.js';
import type { Random } from './random.js';
import { partitionOf, type ShopMessage } from './shop.js';

/**
 * Puts a shop message on the wire the way its channel's services would: bytes and headers,
 * so the demo goes through the same decoding and correlation as a real broker's records.
 */
export function toRecord(message: ShopMessage, receivedAt: number, rng: Random): RawRecord {
  const now = receivedAt + (message.clockSkewMs ?? 0);
  const time = new Date(now).toISOString();
  const traceparent = `00-${message.order.traceId}-${rng.hex(16)}-01`;
  const causation: Record<string, string> = message.causationId ? { 'causation-id': message.causationId } : {};
  let headers: Record<string, string>;
  let body: unknown = message.data;

  switch (message.convention) {
    case 'plain-headers':
      headers = {
        'correlation-id': message.order.correlationId,
        'message-id': message.id,
        producer: message.producer,
        'event-type': message.type,
        'content-type': 'application/json',
        ...causation,
      };
      break;
    case 'cloudevents-binary':
      headers = {
        ce_specversion: '1.0',
        ce_id: message.id,
        ce_source: message.producer,
        ce_type: message.type,
        ce_time: time,
        traceparent,
        'content-type': 'application/json',
        ...causation,
      };
      break;
    case 'cloudevents-structured':
      headers = { 'content-type': 'application/cloudevents+json', traceparent, ...causation };
      body = {
        specversion: '1.0',
        id: message.id,
        source: message.producer,
        type: message.type,
        time,
        datacontenttype: 'application/json',
        data: message.data,
      };
      break;
    case 'app-headers':
      headers = {
        'x-correlation-id': message.order.correlationId,
        'app-id': message.producer,
        'message-id': message.id,
        'event-type': message.type,
        traceparent,
        ...causation,
      };
      break;
  }

  return {
    channel: message.channel,
    partition: partitionOf(message.order.orderId),
    messageId: message.deliveryId ?? message.id,
    timestamp: now,
    key: message.order.orderId,
    headers: { ...headers, ...message.extraHeaders },
    value: Buffer.from(JSON.stringify(body)),
  };
}
