import { createHash } from 'node:crypto';
import type { UnsequencedEvent } from '../sources/contract.js';

/** The most headers an event keeps (in their order); the header below says how many more it had. */
export const MAX_HEADERS = 256;
/** Header values, ids and names longer than these keep their start, marked cut with `…`. */
export const MAX_HEADER_VALUE = 8192;
export const MAX_NAME = 256;
const MAX_KEY_VALUE = 1024;
/** Added where headers were left out: how many. */
export const HEADERS_CUT_HEADER = 'flowscope-headers-dropped';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * A cut that keeps long values apart, for what identifies something (an event's id, its channel,
 * its key): the start, `…`, and 12 hex digits of the whole value's SHA-256. Two channels whose
 * names share their first 240 characters stay two channels.
 */
const cutApart = (text: string, max: number) =>
  text.length > max
    ? `${text.slice(0, max - 13)}…${createHash('sha256').update(text).digest('hex').slice(0, 12)}`
    : text;

/** A channel name as ingestion keeps it: at most MAX_NAME characters, long ones kept apart. */
export const cappedChannel = (name: string) => cutApart(name, MAX_NAME);

/**
 * Caps every field of an event that a producer can make as large as it likes, whatever the
 * source: header count and values, id, channel, key, type, producer, correlation values and ids
 * (the payload has --max-payload). A hostile record is kept and shown, without 10,000 headers or 120 KB names
 * reaching the store, the engine's indexes and every browser.
 */
export function capEvent(event: Mutable<UnsequencedEvent>): void {
  wellFormed(event);
  let count = 0;
  let over = false;
  for (const name in event.headers) {
    count += 1;
    const v = event.headers[name] as string | string[];
    if (count > MAX_HEADERS || name.length > MAX_NAME || v.length > MAX_HEADER_VALUE || Array.isArray(v)) over = true;
  }
  if (over) event.headers = cappedHeaders(event.headers, count);
  if (event.id.length > MAX_KEY_VALUE) event.id = cutApart(event.id, MAX_KEY_VALUE);
  if (event.channel.length > MAX_NAME) event.channel = cappedChannel(event.channel);
  if (event.key && event.key.value.length > MAX_KEY_VALUE)
    event.key = { ...event.key, value: cutApart(event.key.value, MAX_KEY_VALUE) };
  if (event.type !== undefined && event.type.length > MAX_NAME) event.type = cut(event.type, MAX_NAME);
  if (event.producer !== undefined && event.producer.length > MAX_NAME) event.producer = cut(event.producer, MAX_NAME);
  const c = event.correlation;
  const long = (v: string | undefined) => v !== undefined && v.length > MAX_KEY_VALUE;
  if (c.keys.some((k) => long(k.value) || k.name.length > MAX_NAME) || long(c.messageId) || long(c.causationId)) {
    event.correlation = {
      ...c,
      keys: c.keys.map((k) => ({ name: cut(k.name, MAX_NAME), value: cut(k.value, MAX_KEY_VALUE) })),
      ...(c.messageId !== undefined ? { messageId: cut(c.messageId, MAX_KEY_VALUE) } : {}),
      ...(c.causationId !== undefined ? { causationId: cut(c.causationId, MAX_KEY_VALUE) } : {}),
    };
  }
}

function cappedHeaders(headers: UnsequencedEvent['headers'], count: number): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  let kept = 0;
  for (const name in headers) {
    if (kept >= MAX_HEADERS) break;
    const v = headers[name] as string | string[];
    out[cut(name, MAX_NAME)] = Array.isArray(v)
      ? v.slice(0, MAX_HEADERS).map((x) => cut(x, MAX_HEADER_VALUE))
      : cut(v, MAX_HEADER_VALUE);
    kept += 1;
  }
  if (count > kept) out[HEADERS_CUT_HEADER] = String(count - kept);
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const fix = (text: string) => text.replace(LONE_SURROGATE, '\uFFFD');
const broken = (text: string | undefined) => text !== undefined && /[\uD800-\uDFFF]/.test(text) && fix(text) !== text;

/**
 * Lone surrogates (a replayed capture or a JSON payload's `\ud800` can hold them) become U+FFFD in
 * the id, names, key, headers and correlation values, as UTF-8 would have them: an address cannot
 * carry a lone surrogate, so such an event could not be opened by its id, nor its flow by its key.
 */
function wellFormed(event: Mutable<UnsequencedEvent>): void {
  const c = event.correlation;
  let headerBroken = false;
  for (const name in event.headers) {
    const v = event.headers[name] as string | string[];
    if (broken(name) || (Array.isArray(v) ? v.some(broken) : broken(v))) headerBroken = true;
  }
  const correlationBroken =
    c.keys.some((k) => broken(k.name) || broken(k.value)) ||
    [c.messageId, c.causationId, c.traceId, c.spanId].some(broken);
  if (broken(event.id)) event.id = fix(event.id);
  if (broken(event.channel)) event.channel = fix(event.channel);
  if (broken(event.type)) event.type = fix(event.type ?? '');
  if (broken(event.producer)) event.producer = fix(event.producer ?? '');
  if (event.key && broken(event.key.value)) event.key = { ...event.key, value: fix(event.key.value) };
  if (headerBroken)
    event.headers = Object.fromEntries(
      Object.entries(event.headers).map(([k, v]) => [fix(k), Array.isArray(v) ? v.map(fix) : fix(v)]),
    );
  if (correlationBroken) {
    const opt = (v: string | undefined) => (v === undefined ? undefined : fix(v));
    event.correlation = {
      ...c,
      keys: c.keys.map((k) => ({ name: fix(k.name), value: fix(k.value) })),
      ...(c.messageId !== undefined ? { messageId: opt(c.messageId) } : {}),
      ...(c.causationId !== undefined ? { causationId: opt(c.causationId) } : {}),
      ...(c.traceId !== undefined ? { traceId: opt(c.traceId) } : {}),
      ...(c.spanId !== undefined ? { spanId: opt(c.spanId) } : {}),
    };
  }
}
