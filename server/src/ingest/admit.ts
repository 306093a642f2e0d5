import { epochMs, INVALID_TIME_HEADER, isShowableTime, type Payload } from '@flowscope/shared';
import type { UnsequencedEvent } from '../sources/contract.js';
import { capEvent } from './caps.js';
import { truncateUtf8 } from './decode.js';
import { MASKED, type Masks } from './mask.js';
import { maskPayload } from './normalize.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type AdmitOptions = { readonly maxPayloadBytes: number; readonly masks?: Masks | undefined };

/**
 * What an event normalized elsewhere (a replayed capture) meets before ingest takes it: the rules
 * a broker's record meets in normalize. Times every view can show (a time that is none is replaced
 * by the time received, the original kept in a header), the masks (key, headers and payload
 * fields, and any correlation value they held), the payload cap and the caps on every other
 * field (capEvent). Never throws.
 */
export function admitEvent(e: UnsequencedEvent, now: number, o: AdmitOptions): UnsequencedEvent {
  const event: Mutable<UnsequencedEvent> = { ...e, headers: { ...e.headers } };
  if (!isShowableTime(event.receivedAt)) event.receivedAt = epochMs(now);
  if (!isShowableTime(event.timestamp)) {
    event.headers[INVALID_TIME_HEADER] = String(e.timestamp);
    event.timestamp = event.receivedAt;
  }
  const masks = o.masks && !o.masks.empty ? o.masks.forChannel(event.channel) : [];
  const hidden = new Set<string>();
  for (const m of masks) {
    if (m.target === 'key' && event.key) {
      hidden.add(event.key.value);
      event.key = { encoding: 'text', value: MASKED };
    } else if (m.target === 'header') {
      for (const name of Object.keys(event.headers)) {
        if (name.toLowerCase() !== m.header) continue;
        for (const v of ([] as string[]).concat(event.headers[name] ?? [])) hidden.add(v);
        event.headers[name] = MASKED;
      }
    }
  }
  const paths = masks.filter((m) => m.target === 'payload').map((m) => m.parts);
  if (paths.length > 0) event.payload = maskedPayload(event.payload, paths, o.maxPayloadBytes, hidden);
  if (hidden.size > 0) {
    const c = event.correlation;
    event.correlation = { ...c, keys: c.keys.filter((k) => !hidden.has(k.value)) };
  }
  event.payload = capped(event.payload, o.maxPayloadBytes);
  capEvent(event);
  return event;
}

/** The payload with its masked fields, the values they held added to `hidden`. */
function maskedPayload(payload: Payload, paths: string[][], maxBytes: number, hidden: Set<string>): Payload {
  let json: unknown;
  if (payload.encoding === 'json' && !payload.truncated) {
    try {
      json = JSON.parse(payload.value);
    } catch {
      json = undefined;
    }
  }
  // What a masked field held may have become a correlation key where the capture was made.
  return maskPayload({ payload, json }, paths, maxBytes, hidden).payload;
}

/** A payload over the cap keeps its first `maxBytes` (JSON and text by UTF-8 bytes), marked cut. */
function capped(payload: Payload, maxBytes: number): Payload {
  if (payload.encoding === 'empty' || payload.value.length <= maxBytes / 4) return payload;
  const bytes = Buffer.from(payload.value, payload.encoding === 'binary' ? 'base64' : 'utf8');
  if (bytes.length <= maxBytes) return payload;
  return {
    ...payload,
    // Text is cut on a character boundary: a character cut in two would come back as U+FFFD, 3 bytes.
    value:
      payload.encoding === 'binary' ? bytes.subarray(0, maxBytes).toString('base64') : truncateUtf8(bytes, maxBytes),
    truncated: true,
    note: `Cut to the first ${maxBytes} bytes (--max-payload) when it was replayed.`,
  };
}
