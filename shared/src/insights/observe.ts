import { isDeadLettered } from '../correlation/anomalies.js';
import { headerValue, type FlowEvent } from '../model/flowEvent.js';

/**
 * What the insights learn from each event as it arrives (ADR 0027): who reacted to which message
 * (idempotency, how far behind consumers run), the order of each entity's events per channel,
 * and dead letters. Every map is bounded: the oldest entries go first.
 */

/** Messages remembered for the effects that name them as their cause. */
const MAX_MESSAGES = 100_000;
/** Duplicated messages kept whole; older ones are folded into their consumers' tallies. */
const MAX_DUPLICATED = 2_000;
/** Entities whose last position per channel is remembered. */
const MAX_ENTITIES = 100_000;
const MAX_LAG_SAMPLES = 1_000;
const MAX_EXAMPLES = 5;
const MAX_DEAD_LETTER_IDS = 10_000;
const MAX_GROUPS = 50;
const MAX_REASON = 200;

export type MessageRec = {
  readonly eventId: string;
  readonly channel: string;
  readonly timestamp: number;
  deliveries: number;
  /** `service\0type` → effects the service produced naming this message as their cause. */
  reactions?: Map<string, number>;
};

/** A consumer's verdicts on duplicated messages no longer held whole. */
export type IdempotencyTally = { duplicates: number; reactedTwice: number; evidence: string[] };

export type OrderingAcc = {
  readonly channel: string;
  readonly partition: number | undefined;
  readonly basis: string;
  checked: number;
  reordered: number;
  readonly examples: { eventId: string; entity: string; value: number; after: number }[];
};

export type DeadLetterAcc = {
  count: number;
  /** `channel\0producer` → count and an event. */
  readonly sources: Map<string, { count: number; eventId: string }>;
  readonly reasons: Map<string, number>;
  redriven: number;
};

export type InsightsState = {
  readonly messages: Map<string, MessageRec>;
  readonly duplicated: Map<string, MessageRec>;
  readonly tallies: Map<string, IdempotencyTally>;
  /** `service\0channel` → its newest cause-to-effect delays (ms). */
  readonly lags: Map<string, number[]>;
  /** `channel\0entity` → the last position seen, by basis. */
  readonly positions: Map<string, { basis: string; value: number }>;
  /** `channel\0partition\0basis` → ordering per channel (partition). */
  readonly ordering: Map<string, OrderingAcc>;
  readonly deadLetters: Map<string, DeadLetterAcc>;
  /** Message id of a dead letter → its dead-letter channel, until it is seen redriven. */
  readonly deadLetterIds: Map<string, string>;
};

export const createInsights = (): InsightsState => ({
  messages: new Map(),
  duplicated: new Map(),
  tallies: new Map(),
  lags: new Map(),
  positions: new Map(),
  ordering: new Map(),
  deadLetters: new Map(),
  deadLetterIds: new Map(),
});

/** Sets a key in a map bounded to `max` entries, the oldest inserted going first. */
function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number, evicted?: (v: V) => void) {
  map.delete(key);
  map.set(key, value);
  if (map.size <= max) return;
  const oldest = map.keys().next();
  if (oldest.done) return;
  const gone = map.get(oldest.value) as V;
  map.delete(oldest.value);
  evicted?.(gone);
}

/** Learns from one event. */
export function observeInsights(state: InsightsState, event: FlowEvent): void {
  observeDelivery(state, event);
  observeOrder(state, event);
  observeDeadLetter(state, event);
}

/** Services that reacted to a message, each once. */
function reactingServices(rec: MessageRec): string[] {
  const out = new Set<string>();
  for (const k of rec.reactions?.keys() ?? []) out.add(k.slice(0, k.indexOf('\u0000')));
  return [...out];
}

/**
 * Adds a duplicated message's verdicts to its consumers' tallies (`service\0channel`): each
 * service that reacted received a duplicate, and reacted twice when it made two effects of one
 * type. Messages reacted to twice lead the evidence.
 */
export function tallyDuplicate(tallies: Map<string, IdempotencyTally>, rec: MessageRec): void {
  for (const service of reactingServices(rec)) {
    const key = `${service}\u0000${rec.channel}`;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = { duplicates: 0, reactedTwice: 0, evidence: [] }));
    t.duplicates += 1;
    let twice = false;
    for (const [k, n] of rec.reactions ?? []) if (n >= 2 && k.startsWith(`${service}\u0000`)) twice = true;
    if (twice) {
      t.reactedTwice += 1;
      t.evidence.unshift(rec.eventId);
    } else t.evidence.push(rec.eventId);
    t.evidence.length = Math.min(t.evidence.length, MAX_EXAMPLES);
  }
}

/** Deliveries of each message, and the effects that name a message as their cause. */
function observeDelivery(state: InsightsState, event: FlowEvent) {
  const id = event.correlation.messageId ?? event.id;
  const seen = state.messages.get(id);
  if (seen && seen.channel === event.channel) {
    seen.deliveries += 1;
    if (seen.deliveries === 2)
      setBounded(state.duplicated, id, seen, MAX_DUPLICATED, (r) => tallyDuplicate(state.tallies, r));
  } else {
    const rec: MessageRec = { eventId: event.id, channel: event.channel, timestamp: event.timestamp, deliveries: 1 };
    setBounded(state.messages, id, rec, MAX_MESSAGES);
  }
  const causeId = event.correlation.causationId;
  const cause = causeId === undefined ? undefined : state.messages.get(causeId);
  if (!cause) return;
  const service = event.producer ?? '(unknown producer)';
  const key = `${service}\u0000${event.type ?? ''}`;
  (cause.reactions ??= new Map()).set(key, (cause.reactions.get(key) ?? 0) + 1);
  const lagKey = `${service}\u0000${cause.channel}`;
  let lags = state.lags.get(lagKey);
  if (!lags) {
    if (state.lags.size >= MAX_ENTITIES) return;
    state.lags.set(lagKey, (lags = []));
  }
  lags.push(Math.max(0, event.timestamp - cause.timestamp));
  if (lags.length > MAX_LAG_SAMPLES) lags.splice(0, lags.length - MAX_LAG_SAMPLES);
}

/** Payload fields and headers that declare an entity's order, in the order they are looked for. */
const ORDER_FIELD = /"(sequence|sequenceNumber|seq|seqNo|version|revision|aggregateVersion)"\s*:\s*(-?\d{1,15})[,}\s]/;
const ORDER_HEADERS = new Set(['sequence', 'x-sequence', 'sequence-number', 'version', 'x-version', 'revision']);
/** Declared positions are looked for in the payload's first this many characters. */
const ORDER_SCAN = 4096;

/** The event's declared position (a header, else a payload field), else its timestamp. */
function positionOf(event: FlowEvent): { basis: string; value: number } {
  for (const h in event.headers) {
    if (!ORDER_HEADERS.has(h.toLowerCase())) continue;
    const v = event.headers[h];
    const text = Array.isArray(v) ? v[0] : v;
    if (text !== undefined && /^-?\d{1,15}$/.test(text)) return { basis: h.toLowerCase(), value: Number(text) };
  }
  if (event.payload.encoding === 'json') {
    const text = event.payload.value;
    const m = ORDER_FIELD.exec(text.length > ORDER_SCAN ? text.slice(0, ORDER_SCAN) : text);
    if (m) return { basis: m[1] as string, value: Number(m[2]) };
  }
  return { basis: 'timestamp', value: event.timestamp };
}

/** Each entity's events on a channel against the one before them: arrived in their order, or not. */
function observeOrder(state: InsightsState, event: FlowEvent) {
  const entity = event.key?.value ?? event.correlation.keys[0]?.value;
  if (entity === undefined || entity === '') return;
  const position = positionOf(event);
  const key = `${event.channel}\u0000${entity}`;
  const last = state.positions.get(key);
  setBounded(state.positions, key, position, MAX_ENTITIES);
  if (!last || last.basis !== position.basis) return;
  const groupKey = `${event.channel}\u0000${event.partition ?? ''}\u0000${position.basis}`;
  let acc = state.ordering.get(groupKey);
  if (!acc) {
    if (state.ordering.size >= MAX_ENTITIES) return;
    acc = {
      channel: event.channel,
      partition: event.partition,
      basis: position.basis,
      checked: 0,
      reordered: 0,
      examples: [],
    };
    state.ordering.set(groupKey, acc);
  }
  acc.checked += 1;
  if (position.value >= last.value) return;
  acc.reordered += 1;
  // The entity's position stays at the greatest seen: a late event is late against it.
  state.positions.set(key, last);
  if (acc.examples.length < MAX_EXAMPLES)
    acc.examples.push({ eventId: event.id, entity, value: position.value, after: last.value });
}

const SOURCE_HEADERS = ['x-original-channel', 'x-first-death-queue', 'kafka_dlt-original-topic', 'x-original-queue'];
const REASON_HEADERS = [
  'x-death-reason',
  'x-first-death-reason',
  'kafka_dlt-exception-message',
  'kafka_dlt-exception-fqcn',
  'x-exception-message',
  'dlq-reason',
];

/** Dead letters per dead-letter channel, and the ones later seen again elsewhere (redriven). */
function observeDeadLetter(state: InsightsState, event: FlowEvent) {
  const id = event.correlation.messageId;
  const parked = id === undefined ? undefined : state.deadLetterIds.get(id);
  if (parked !== undefined && parked !== event.channel && id !== undefined) {
    state.deadLetterIds.delete(id);
    const acc = state.deadLetters.get(parked);
    if (acc) acc.redriven += 1;
    return;
  }
  if (!isDeadLettered(event)) return;
  let acc = state.deadLetters.get(event.channel);
  if (!acc) {
    if (state.deadLetters.size >= MAX_GROUPS * 4) return;
    acc = { count: 0, sources: new Map(), reasons: new Map(), redriven: 0 };
    state.deadLetters.set(event.channel, acc);
  }
  acc.count += 1;
  let from: string | undefined;
  for (const h of SOURCE_HEADERS) from ??= headerValue(event, h);
  const sourceKey = `${from ?? '(not named)'}\u0000${event.producer ?? '(unknown producer)'}`;
  const source = acc.sources.get(sourceKey);
  if (source) source.count += 1;
  else if (acc.sources.size < MAX_GROUPS) acc.sources.set(sourceKey, { count: 1, eventId: event.id });
  let reason: string | undefined;
  for (const h of REASON_HEADERS) reason ??= headerValue(event, h);
  const why = (reason ?? '(no reason given)').slice(0, MAX_REASON);
  if (acc.reasons.has(why) || acc.reasons.size < MAX_GROUPS) acc.reasons.set(why, (acc.reasons.get(why) ?? 0) + 1);
  if (id !== undefined) setBounded(state.deadLetterIds, id, event.channel, MAX_DEAD_LETTER_IDS);
}
