import type { Random } from '../sources/demo/random.js';
import type { ShopMessage } from '../sources/demo/shop.js';
import { toRecord } from '../sources/demo/wire.js';

/**
 * A shop message as each broker's clients put it on the wire. Kafka and Redis carry the shop's
 * own conventions per channel (plain correlation headers, CloudEvents binary or structured, app
 * headers; `sources/demo/wire.ts`); RabbitMQ carries what AMQP has properties for.
 */
type Wire = Readonly<{ key: string; headers: Readonly<Record<string, string>>; body: string; timestamp: number }>;

function wireOf(message: ShopMessage, now: number, rng: Random): Wire {
  const record = toRecord(message, now, rng);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(record.headers)) if (typeof v === 'string') headers[k] = v;
  const body = typeof record.value === 'string' ? record.value : Buffer.from(record.value ?? []).toString('utf8');
  return {
    key: typeof record.key === 'string' ? record.key : message.order.orderId,
    headers,
    body,
    timestamp: record.timestamp,
  };
}

export type KafkaMessage = Readonly<{ key: string; value: string; headers: Record<string, string>; timestamp: string }>;

/** A Kafka record keyed by order id, stamped with the producing service's clock. */
export function toKafkaMessage(message: ShopMessage, now: number, rng: Random): KafkaMessage {
  const wire = wireOf(message, now, rng);
  return { key: wire.key, value: wire.body, headers: { ...wire.headers }, timestamp: String(wire.timestamp) };
}

export type AmqpMessage = Readonly<{
  routingKey: string;
  content: Buffer;
  properties: Readonly<{
    correlationId: string;
    messageId: string;
    appId: string;
    type: string;
    contentType: string;
    headers: Record<string, string>;
  }>;
}>;

/**
 * An AMQP message routed by its event type: correlation id, message id, producer and type as
 * AMQP properties; trace context, causation and dead-letter details as application headers. No
 * AMQP `timestamp`: it has whole seconds only, so Flowscope takes the arrival time instead.
 */
export function toAmqpMessage(message: ShopMessage, now: number, rng: Random): AmqpMessage {
  const wire = wireOf(message, now, rng);
  const headers: Record<string, string> = { ...message.extraHeaders };
  if (wire.headers.traceparent) headers.traceparent = wire.headers.traceparent;
  if (message.causationId) headers['causation-id'] = message.causationId;
  return {
    routingKey: message.type,
    content: Buffer.from(JSON.stringify(message.data)),
    properties: {
      correlationId: message.order.correlationId,
      messageId: message.id,
      appId: message.producer,
      type: message.type,
      contentType: 'application/json',
      headers,
    },
  };
}

/** A stream entry: the body in its `payload` field, every header as a field of its own. */
export function toStreamFields(message: ShopMessage, now: number, rng: Random): Record<string, string> {
  const wire = wireOf(message, now, rng);
  return { payload: wire.body, ...wire.headers };
}

export type NatsMessage = Readonly<{ headers: Readonly<Record<string, string>>; body: string }>;

/**
 * A NATS message: the channel's headers with CloudEvents attributes as the NATS binding names them
 * (`ce-id`, not Kafka's `ce_id`), and the message id as `Nats-Msg-Id`, JetStream's deduplication id.
 */
export function toNatsMessage(message: ShopMessage, now: number, rng: Random): NatsMessage {
  const wire = wireOf(message, now, rng);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(wire.headers)) headers[name.replace(/^ce_/, 'ce-')] = value;
  headers['Nats-Msg-Id'] = message.deliveryId ?? message.id;
  return { headers, body: wire.body };
}

export type MqttMessage = Readonly<{
  payload: string;
  properties: Readonly<{
    correlationData: Buffer;
    contentType: string;
    userProperties: Record<string, string>;
  }>;
}>;

/**
 * A warehouse pick scanner's acknowledgement of a reservation, as an MQTT 5 device sends it: the
 * order's correlation id as correlation data; its own id, its cause (the reservation), type,
 * producer and trace context as user properties.
 */
export function toScannerAck(reserved: ShopMessage, now: number, rng: Random): MqttMessage {
  const warehouse = String(reserved.data.warehouse ?? 'unknown');
  return {
    payload: JSON.stringify({
      reservationId: reserved.data.reservationId,
      warehouse,
      scanner: `${warehouse}-scanner-${rng.between(1, 4)}`,
      status: 'picked',
      scannedAt: new Date(now).toISOString(),
    }),
    properties: {
      correlationData: Buffer.from(reserved.order.correlationId),
      contentType: 'application/json',
      userProperties: {
        'message-id': `ack-${rng.hex(16)}`,
        'causation-id': reserved.id,
        'event-type': 'warehouse.pick-acknowledged',
        producer: 'warehouse-scanner',
        traceparent: `00-${reserved.order.traceId}-${rng.hex(16)}-01`,
      },
    },
  };
}
