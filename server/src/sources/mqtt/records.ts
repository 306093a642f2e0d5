import { createHash } from 'node:crypto';
import type { RawHeaderValue, RawRecord } from '../contract.js';

/** What the source reads of a PUBLISH packet (mqtt.js `IPublishPacket`, only the fields used here). */
export type Delivery = {
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly dup?: boolean;
  readonly properties?: {
    readonly correlationData?: Uint8Array;
    readonly responseTopic?: string;
    readonly contentType?: string;
    readonly userProperties?: Readonly<Record<string, string | readonly string[]>>;
  };
};

/** CloudEvents context attributes: MQTT 5 binary mode carries them as user properties without a prefix. */
const CLOUD_EVENT_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'dataschema']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Correlation data as a correlation value: the text when it is printable UTF-8 (what most
 * requesters send), lowercase hex otherwise. The request and its response carry the same bytes,
 * so both give the same value and join one flow.
 */
export function correlationText(data: Uint8Array): string | undefined {
  if (data.length === 0) return undefined;
  try {
    const text = utf8.decode(data);
    // eslint-disable-next-line no-control-regex -- control characters are what makes bytes not printable
    if (!/[\u0000-\u001f\u007f-\u009f\ufffd]/.test(text) && text.trim() !== '') return text;
  } catch {
    // not UTF-8: hex below
  }
  return Buffer.from(data).toString('hex');
}

/**
 * The headers of one delivery: QoS and the retain flag, then the MQTT 5 properties under the
 * names correlation reads: correlation data → `correlation-id`, response topic → `reply-to`,
 * content type → `content-type`, user properties as they are (`traceparent`, …), except the
 * CloudEvents attributes of a binary-mode event, which become `ce_<attribute>` as on Kafka.
 */
export function deliveryHeaders(d: Delivery): Record<string, RawHeaderValue> {
  const headers: Record<string, RawHeaderValue> = { 'mqtt.qos': String(d.qos) };
  if (d.retain) headers['mqtt.retained'] = 'true';
  if (d.dup) headers['mqtt.dup'] = 'true';
  const p = d.properties;
  if (!p) return headers;
  const user = p.userProperties ?? {};
  const cloudEvent = Object.hasOwn(user, 'specversion');
  for (const [name, value] of Object.entries(user)) {
    const header = cloudEvent && CLOUD_EVENT_ATTRIBUTES.has(name) ? `ce_${name}` : name;
    headers[header] = typeof value === 'string' ? value : [...value];
  }
  const correlation = p.correlationData ? correlationText(p.correlationData) : undefined;
  if (correlation !== undefined) headers['correlation-id'] = correlation;
  if (p.responseTopic) headers['reply-to'] = p.responseTopic;
  if (p.contentType) headers['content-type'] = p.contentType;
  return headers;
}

/** One delivery as a raw record. MQTT has no message id or broker time: `id` is the tap's own, time is arrival. */
export function toRecord(topic: string, payload: Uint8Array, d: Delivery, id: string, now: number): RawRecord {
  return {
    channel: topic,
    messageId: id,
    timestamp: now,
    headers: deliveryHeaders(d),
    value: payload.length === 0 ? null : payload,
  };
}

/** What makes two messages the same state: payload and properties, not QoS or flags. */
function digest(payload: Uint8Array, d: Delivery): string {
  const hash = createHash('sha1').update(payload);
  const p = d.properties;
  if (p) {
    hash.update('\u0000');
    if (p.correlationData) hash.update(p.correlationData);
    hash.update(JSON.stringify([p.responseTopic, p.contentType, p.userProperties]));
  }
  return hash.digest('base64');
}

/**
 * Remembers the last message seen per topic, so that the retained messages a broker replays on
 * every subscribe are shown once as state and not again after a reconnect: a retained message
 * equal to the last message seen on its topic is nothing new. Bounded: the topics seen longest ago
 * are forgotten first (their retained state is then shown again, marked as retained).
 */
export class RetainedState {
  private readonly last = new Map<string, string>();

  constructor(private readonly maxTopics = 100_000) {}

  /** Records a delivery; false when it is a replayed retained message the tap has already shown. */
  isNew(topic: string, payload: Uint8Array, d: Delivery): boolean {
    const hash = digest(payload, d);
    const known = this.last.get(topic);
    if (d.retain && known === hash) return false;
    this.last.delete(topic);
    this.last.set(topic, hash);
    if (this.last.size > this.maxTopics) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    return true;
  }
}
