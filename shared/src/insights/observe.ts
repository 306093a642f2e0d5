import { isDeadLettered } from '../correlation/anomalies.js';
import type { Ordered } from '../correlation/describe.js';
import type { FlowView } from '../correlation/flowViews.js';
import type { EventFacts } from '../correlation/slots.js';
import type { Anomaly } from '../model/flow.js';
import { headerValue, type FlowEvent } from '../model/flowEvent.js';
import { Generations } from './generations.js';

/**
 * What the insights learn (ADR 0027). Most of it from each flow once, when it settles, out of
 * what the engine keeps of its events (their facts): which messages were delivered twice and who
 * reacted to each copy, how far behind its cause each reaction came, the order of each entity's
 * events by their timestamps, and redriven dead letters. Per event, only what facts do not keep:
 * a dead letter's headers, and a position an event declares (a `version` or `sequence` field or
 * header), judged against its entity's last one. Every map is bounded.
 */

/** Entities whose last declared position per channel is remembered. */
const MAX_ENTITIES = 100_000;
const MAX_LAG_SAMPLES = 1_000;
const MAX_EXAMPLES = 5;
const MAX_GROUPS = 50;
const MAX_ORDERING_GROUPS = 5_000;
const MAX_LAG_KEYS = 5_000;
const MAX_REASON = 200;

/** A consumer's verdicts on the duplicated messages it reacted to. */
type IdempotencyTally = { duplicates: number; reactedTwice: number; evidence: string[] };

type OrderingAcc = {
  readonly channel: string;
  readonly partition: number | undefined;
  readonly basis: string;
  checked: number;
  reordered: number;
  readonly examples: { eventId: string; entity: string; value: number; after: number }[];
};

type DeadLetterAcc = {
  count: number;
  /** `channel\0producer` → count and an event. */
  readonly sources: Map<string, { count: number; eventId: string }>;
  readonly reasons: Map<string, number>;
  redriven: number;
};

export type InsightsState = {
  /** `service\0channel` → the consumer's verdicts. */
  readonly tallies: Map<string, IdempotencyTally>;
  /** `service\0channel` → its newest cause-to-effect delays (ms), a ring of MAX_LAG_SAMPLES. */
  readonly lags: Map<string, { readonly values: number[]; next: number }>;
  /** `channel\0entity` → the last declared position seen. */
  readonly positions: Generations<string, { basis: string; value: number }>;
  /** `channel\0partition\0basis` → ordering per channel (partition). */
  readonly ordering: Map<string, OrderingAcc>;
  readonly deadLetters: Map<string, DeadLetterAcc>;
  /** Channels whose entities' declared positions move: judged by them, not by their timestamps. */
  readonly declaring: Set<string>;
};

export const createInsights = (): InsightsState => ({
  tallies: new Map(),
  lags: new Map(),
  positions: new Generations(MAX_ENTITIES),
  ordering: new Map(),
  deadLetters: new Map(),
  declaring: new Set(),
});

/** Learns what only the event itself shows: a dead letter's headers, a declared position. */
export function observeInsights(state: InsightsState, event: FlowEvent): void {
  if (isDeadLettered(event)) observeDeadLetter(state, event);
  const position = declaredPosition(event);
  if (position) observeDeclaredOrder(state, event, position);
}

/** Learns from a flow that settled: its events in order with their hops, as they arrived, and its anomalies. */
export function learnSettledFlow(state: InsightsState, ordered: Ordered, flow: FlowView): void {
  // The engine notes every second delivery of an event or a message id (the copies join one flow).
  if (flow.anomalies.some((a) => a.kind === 'duplicate')) learnDuplicates(state, ordered.events, flow.anomalies);
  learnLags(state, ordered);
  learnTimestampOrder(state, flow.events);
}

/**
 * Adds one duplicated message's verdicts to its consumers' tallies (`service\0channel`): each
 * service that made an effect naming it received a duplicate, and reacted twice when it made an
 * effect of one type both before the second copy arrived and after it (one per copy). A service
 * that makes two effects per message makes them both before, or both after, the copy.
 */
function tallyDuplicate(state: InsightsState, first: EventFacts, again: number, effects: readonly EventFacts[]) {
  const sides = new Map<string, { before: Set<string>; after: Set<string> }>();
  for (const e of effects) {
    const service = e.producer ?? '(unknown producer)';
    let side = sides.get(service);
    if (!side) sides.set(service, (side = { before: new Set(), after: new Set() }));
    (e.seq < again ? side.before : side.after).add(e.type ?? '');
  }
  for (const [service, side] of sides) {
    const key = `${service}\u0000${first.channel}`;
    let t = state.tallies.get(key);
    if (!t) {
      if (state.tallies.size >= MAX_LAG_KEYS) continue;
      state.tallies.set(key, (t = { duplicates: 0, reactedTwice: 0, evidence: [] }));
    }
    t.duplicates += 1;
    if ([...side.after].some((type) => side.before.has(type))) {
      t.reactedTwice += 1;
      t.evidence.unshift(first.id);
    } else t.evidence.push(first.id);
    t.evidence.length = Math.min(t.evidence.length, MAX_EXAMPLES);
  }
}

/**
 * Messages of the flow delivered more than once, each with when its second copy arrived: two
 * copies of a message id on one channel, or a record read again (the engine notes when). The
 * effects naming each as their cause are judged against that moment. A copy on another channel is
 * a dead letter or its redrive, not a redelivery: a dead letter seen again elsewhere counts as
 * redriven.
 */
function learnDuplicates(state: InsightsState, events: readonly EventFacts[], anomalies: readonly Anomaly[]) {
  const copies = new Map<string, EventFacts[]>();
  const effects = new Map<string, EventFacts[]>();
  for (const e of events) {
    const id = e.correlation.messageId ?? e.id;
    const list = copies.get(id);
    if (list) list.push(e);
    else copies.set(id, [e]);
    const cause = e.correlation.causationId;
    if (cause === undefined) continue;
    const caused = effects.get(cause);
    if (caused) caused.push(e);
    else effects.set(cause, [e]);
  }
  const reread = new Map<string, number>();
  for (const a of anomalies)
    if (a.kind === 'duplicate' && a.eventId !== undefined && a.seq !== undefined) reread.set(a.eventId, a.seq);
  for (const [id, list] of copies) {
    list.sort((x, y) => x.seq - y.seq);
    const first = list[0] as EventFacts;
    let again = list.find((e, i) => i > 0 && e.channel === first.channel)?.seq ?? Infinity;
    for (const e of list) again = Math.min(again, reread.get(e.id) ?? Infinity);
    if (again !== Infinity) {
      const caused = [...(effects.get(id) ?? []), ...(id !== first.id ? (effects.get(first.id) ?? []) : [])];
      if (caused.length > 0) tallyDuplicate(state, first, again, caused);
    }
    const parked = list.find((e) => e.deadLettered);
    if (parked && list.some((e) => !e.deadLettered && e.channel !== parked.channel && e.seq > parked.seq)) {
      const acc = state.deadLetters.get(parked.channel);
      if (acc) acc.redriven += 1;
    }
  }
}

/** Each causal hop: the reacting service, the channel of its cause, and the delay between them. */
function learnLags(state: InsightsState, ordered: Ordered) {
  for (const hop of ordered.hops) {
    if (hop.inferred || hop.service === undefined) continue;
    const channel = ordered.parents.get(hop.to)?.channel;
    if (channel === undefined) continue;
    const key = `${hop.service}\u0000${channel}`;
    let lags = state.lags.get(key);
    if (!lags) {
      if (state.lags.size >= MAX_LAG_KEYS) continue;
      state.lags.set(key, (lags = { values: [], next: 0 }));
    }
    lags.values[lags.next] = Math.max(0, hop.latencyMs);
    lags.next = (lags.next + 1) % MAX_LAG_SAMPLES;
  }
}

function orderingOf(state: InsightsState, channel: string, partition: number | undefined, basis: string) {
  const key = `${channel}\u0000${partition ?? ''}\u0000${basis}`;
  let acc = state.ordering.get(key);
  if (acc || state.ordering.size >= MAX_ORDERING_GROUPS) return acc;
  acc = { channel, partition, basis, checked: 0, reordered: 0, examples: [] };
  state.ordering.set(key, acc);
  return acc;
}

function judgeOrder(acc: OrderingAcc, eventId: string, entity: string, value: number, after: number) {
  acc.checked += 1;
  if (value >= after) return;
  acc.reordered += 1;
  if (acc.examples.length < MAX_EXAMPLES) acc.examples.push({ eventId, entity, value, after });
}

/**
 * The flow's events of one entity (its first key) on one channel, as they arrived: each
 * stamped before one that arrived ahead of it is out of order. Events declaring a position are
 * judged by it instead (per event).
 */
function learnTimestampOrder(state: InsightsState, arrived: readonly EventFacts[]) {
  const latest = new Map<string, number>();
  for (const e of arrived) {
    const entity = e.correlation.keys[0]?.value;
    if (entity === undefined || state.declaring.has(e.channel)) continue;
    const key = `${e.channel}\u0000${entity}`;
    const before = latest.get(key);
    latest.set(key, Math.max(before ?? -Infinity, e.timestamp));
    if (before === undefined) continue;
    const acc = orderingOf(state, e.channel, undefined, 'timestamp');
    if (acc) judgeOrder(acc, e.id, entity, e.timestamp, before);
  }
}

/** Payload fields and headers that declare an entity's order, in the order they are looked for. */
const ORDER_FIELD = /"(sequence|sequenceNumber|seq|seqNo|version|revision|aggregateVersion)"\s*:\s*(-?\d{1,15})[,}\s]/;
const ORDER_HEADERS = new Set(['sequence', 'x-sequence', 'sequence-number', 'version', 'x-version', 'revision']);
/** Declared positions are looked for in the payload's first this many characters. */
const ORDER_SCAN = 4096;

/** The position the event declares (a header, else a payload field), if any. */
function declaredPosition(event: FlowEvent): { basis: string; value: number } | undefined {
  for (const h in event.headers) {
    if (!ORDER_HEADERS.has(h.toLowerCase())) continue;
    const v = event.headers[h];
    const text = Array.isArray(v) ? v[0] : v;
    if (text !== undefined && /^-?\d{1,15}$/.test(text)) return { basis: h.toLowerCase(), value: Number(text) };
  }
  if (event.payload.encoding !== 'json') return undefined;
  const text = event.payload.value;
  const m = ORDER_FIELD.exec(text.length > ORDER_SCAN ? text.slice(0, ORDER_SCAN) : text);
  return m && topLevel(text, m.index) ? { basis: m[1] as string, value: Number(m[2]) } : undefined;
}

/** Whether `at` in JSON text is a field of the top-level object (not of a nested one, not in a string). */
function topLevel(text: string, at: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return depth === 1 && !inString;
}

/** An entity's declared positions on a channel (partition), as they arrive. */
function observeDeclaredOrder(state: InsightsState, event: FlowEvent, position: { basis: string; value: number }) {
  const entity = event.key?.value ?? event.correlation.keys[0]?.value;
  if (entity === undefined || entity === '') return;
  const key = `${event.channel}\u0000${entity}`;
  const last = state.positions.get(key);
  // A channel whose entities' positions move declares them (a constant `version`, a schema's, does not).
  const moved = last !== undefined && last.basis === position.basis && last.value !== position.value;
  if (moved && !state.declaring.has(event.channel) && state.declaring.size < MAX_ORDERING_GROUPS)
    state.declaring.add(event.channel);
  // A late event leaves the entity's position at the greatest seen: later ones are judged by it.
  if (!last || last.basis !== position.basis || position.value >= last.value) state.positions.set(key, position);
  if (!last || last.basis !== position.basis) return;
  const acc = orderingOf(state, event.channel, event.partition, position.basis);
  if (acc) judgeOrder(acc, event.id, entity, position.value, last.value);
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

/** Dead letters per dead-letter channel: where from, who sent them, and why. */
function observeDeadLetter(state: InsightsState, event: FlowEvent) {
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
}
