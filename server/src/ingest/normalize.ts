import { epochMs, extractCorrelation, type CorrelationRule, type EventOrigin, type FlowEvent } from '@flowscope/shared';
import type { RawRecord } from '../sources/eventSource.js';
import { decodeHeaderValue, decodeKey, decodePayload } from './decode.js';

export type NormalizeOptions = {
  readonly maxPayloadBytes: number;
  readonly rules?: readonly CorrelationRule[];
};

/** A normalized event before the pipeline gives it a sequence number. */
export type UnsequencedEvent = Omit<FlowEvent, 'seq'>;

/** The one place where broker records become FlowEvents. Never throws for bad content. */
export function normalize(
  raw: RawRecord,
  origin: EventOrigin,
  receivedAt: number,
  options: NormalizeOptions,
): UnsequencedEvent {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    headers[name] = Array.isArray(value)
      ? (value as readonly (Uint8Array | string | undefined)[]).map(decodeHeaderValue)
      : decodeHeaderValue(value as Uint8Array | string | undefined);
  }
  const key = decodeKey(raw.key);
  const { payload, json } = decodePayload(raw.value, options.maxPayloadBytes);
  const extracted = extractCorrelation({ channel: raw.channel, headers, key, json }, options.rules);

  return {
    id: eventId(raw, origin),
    source: origin,
    channel: raw.channel,
    ...(raw.partition !== undefined ? { partition: raw.partition } : {}),
    ...(raw.offset !== undefined ? { offset: raw.offset } : {}),
    timestamp: epochMs(Number.isFinite(raw.timestamp) ? raw.timestamp : receivedAt),
    receivedAt: epochMs(receivedAt),
    ...(key ? { key } : {}),
    headers,
    ...(extracted.type ? { type: extracted.type } : {}),
    ...(extracted.producer ? { producer: extracted.producer } : {}),
    correlation: extracted.correlation,
    payload,
  };
}

/** Stable id: the same message read twice gets the same id. */
export function eventId(raw: RawRecord, origin: EventOrigin): string {
  const base = `${origin.broker}/${origin.cluster}/${raw.channel}`;
  if (raw.offset !== undefined) return `${base}/${raw.partition ?? 0}/${raw.offset}`;
  if (raw.messageId !== undefined) return `${base}/${raw.messageId}`;
  throw new Error(`Source for ${base} gave a record with neither offset nor message id`);
}
