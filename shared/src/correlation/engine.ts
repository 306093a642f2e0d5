import type { CorrelationKey } from '../model/correlationKey.js';
import { causeRefs } from './refs.js';
import type { Anomaly } from '../model/flow.js';
import type { FlowEvent } from '../model/flowEvent.js';

/**
 * The correlation engine's state: events joined into flows.
 *
 * Invariants:
 * - every retained event belongs to exactly one live flow (`byEvent` → uid → `find` → root);
 * - two events share a flow iff they are connected by shared keys (same name and value) or by a
 *   causation link (an event's causationId names another's message id, event id or span id),
 *   whatever the order they arrived in;
 * - merged flows keep the larger one's uid; `parent` forwards the others' uids to it;
 * - nothing is retained past eviction: an evicted flow leaves no key, ref or event behind.
 *
 * The state is owned by one caller and updated in place for speed (it sees every event); readers
 * get plain data from `describeFlow`/`summarizeFlow`. No clock is read: time comes in as `now`.
 */
export type EngineState = {
  readonly flows: Map<number, FlowAcc>;
  /** Forwarding of merged flow uids to the flow that absorbed them. */
  readonly parent: Map<number, number>;
  readonly byKey: Map<string, number>;
  /** Message ids, event ids and span ids of retained events → flow uid. */
  readonly byRef: Map<string, number>;
  readonly byEvent: Map<string, number>;
  /** causationId not (yet) seen → ids of events waiting for it. */
  readonly waiting: Map<string, string[]>;
  /** Key value (any name) → the key string with that value (or several, rarely), for search. */
  readonly byValue: Map<string, string | string[]>;
  readonly stats: EngineStats;
  nextUid: number;
};

export type FlowAcc = {
  readonly uid: number;
  readonly events: Map<string, FlowEvent>;
  readonly keys: Map<string, CorrelationKey>;
  readonly refs: Set<string>;
  readonly merged: number[];
  readonly anomalies: Anomaly[];
  /** Latest event timestamp: drives eviction, settling and stuck detection. */
  lastTs: number;
  /** The first event by (timestamp, id): its id is the flow's public id. */
  first: FlowEvent;
  learned: boolean;
};

export type EngineStats = {
  events: number;
  flows: number;
  merges: number;
  duplicates: number;
  evictedFlows: number;
  evictedEvents: number;
};

export const createEngine = (): EngineState => ({
  flows: new Map(),
  parent: new Map(),
  byKey: new Map(),
  byRef: new Map(),
  byEvent: new Map(),
  waiting: new Map(),
  byValue: new Map(),
  stats: { events: 0, flows: 0, merges: 0, duplicates: 0, evictedFlows: 0, evictedEvents: 0 },
  nextUid: 1,
});

const keyString = (k: CorrelationKey) => `${k.name}\u0000${k.value}`;

/** Resolves a (possibly merged) flow uid to its live flow, compressing the forwarding path. */
export function findFlow(state: EngineState, uid: number | undefined): FlowAcc | undefined {
  if (uid === undefined) return undefined;
  let root = uid;
  let next = state.parent.get(root);
  while (next !== undefined) {
    root = next;
    next = state.parent.get(root);
  }
  if (root !== uid) state.parent.set(uid, root);
  return state.flows.get(root);
}

const before = (a: FlowEvent, b: FlowEvent) =>
  a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.id < b.id);

/**
 * Adds one event: joins every flow it is connected to (by key, by its cause, by events that named
 * it as their cause) into one. A repeated event id is recorded as a duplicate delivery, not added
 * twice; a repeated message id under a new event id is added and flagged.
 */
export function ingestEvent(state: EngineState, event: FlowEvent): FlowAcc {
  const existing = findFlow(state, state.byEvent.get(event.id));
  if (existing) {
    state.stats.duplicates += 1;
    existing.anomalies.push({
      kind: 'duplicate',
      eventId: event.id,
      message: `Event ${event.id} was delivered more than once.`,
    });
    return existing;
  }

  const touched = new Set<FlowAcc>();
  const touch = (uid: number | undefined) => {
    const f = findFlow(state, uid);
    if (f) touched.add(f);
  };
  for (const k of event.correlation.keys) touch(state.byKey.get(keyString(k)));
  const cause = event.correlation.causationId;
  if (cause) touch(state.byRef.get(cause));
  const refs = causeRefs(event);
  if (state.waiting.size > 0) {
    for (const ref of refs) for (const waiter of state.waiting.get(ref) ?? []) touch(state.byEvent.get(waiter));
  }
  const messageId = event.correlation.messageId;
  const redelivered = messageId !== undefined && state.byRef.has(messageId);

  let flow: FlowAcc;
  if (touched.size === 0) {
    flow = {
      uid: state.nextUid++,
      events: new Map(),
      keys: new Map(),
      refs: new Set(),
      merged: [],
      anomalies: [],
      lastTs: event.timestamp,
      first: event,
      learned: false,
    };
    state.flows.set(flow.uid, flow);
    state.stats.flows += 1;
  } else {
    // Merge into the largest so each event moves O(log n) times over its life.
    const [largest, ...rest] = [...touched].sort((a, b) => b.events.size - a.events.size || a.uid - b.uid);
    flow = largest as FlowAcc;
    for (const other of rest) mergeInto(state, flow, other);
  }

  flow.events.set(event.id, event);
  state.byEvent.set(event.id, flow.uid);
  state.stats.events += 1;
  if (before(event, flow.first)) flow.first = event;
  flow.lastTs = Math.max(flow.lastTs, event.timestamp);
  for (const k of event.correlation.keys) {
    const ks = keyString(k);
    flow.keys.set(ks, k);
    state.byKey.set(ks, flow.uid);
    indexValue(state, k.value, ks);
  }
  for (const ref of refs) {
    flow.refs.add(ref);
    if (!state.byRef.has(ref)) state.byRef.set(ref, flow.uid);
    if (state.waiting.size > 0) state.waiting.delete(ref);
  }
  if (cause && !state.byRef.has(cause)) {
    const list = state.waiting.get(cause) ?? [];
    list.push(event.id);
    state.waiting.set(cause, list);
    flow.refs.add(`waiting\u0000${cause}`);
  }
  if (redelivered) {
    state.stats.duplicates += 1;
    flow.anomalies.push({
      kind: 'duplicate',
      eventId: event.id,
      message: `Message ${messageId} was delivered again as ${event.id}.`,
    });
  }
  return flow;
}

/** Most values carry one key name; only collisions (orderId and correlationId both "A-1") need a list. */
function indexValue(state: EngineState, value: string, ks: string) {
  const cur = state.byValue.get(value);
  if (cur === undefined) state.byValue.set(value, ks);
  else if (typeof cur === 'string') {
    if (cur !== ks) state.byValue.set(value, [cur, ks]);
  } else if (!cur.includes(ks)) cur.push(ks);
}

function valueKeys(state: EngineState, value: string): readonly string[] {
  const cur = state.byValue.get(value);
  return cur === undefined ? [] : typeof cur === 'string' ? [cur] : cur;
}

function mergeInto(state: EngineState, into: FlowAcc, from: FlowAcc) {
  for (const [id, e] of from.events) into.events.set(id, e);
  for (const [ks, k] of from.keys) into.keys.set(ks, k);
  for (const r of from.refs) into.refs.add(r);
  into.anomalies.push(...from.anomalies);
  into.merged.push(from.uid, ...from.merged);
  if (before(from.first, into.first)) into.first = from.first;
  into.lastTs = Math.max(into.lastTs, from.lastTs);
  state.parent.set(from.uid, into.uid);
  state.flows.delete(from.uid);
  state.stats.flows -= 1;
  state.stats.merges += 1;
}

/** Removes a flow and everything that points at it. */
function evictFlow(state: EngineState, flow: FlowAcc) {
  for (const id of flow.events.keys()) state.byEvent.delete(id);
  for (const [ks, k] of flow.keys) {
    if (findFlow(state, state.byKey.get(ks)) === flow) state.byKey.delete(ks);
    const rest = valueKeys(state, k.value).filter((x) => x !== ks);
    if (rest.length === 0) state.byValue.delete(k.value);
    else state.byValue.set(k.value, rest.length === 1 ? (rest[0] as string) : rest);
  }
  for (const ref of flow.refs) {
    if (ref.startsWith('waiting\u0000')) state.waiting.delete(ref.slice(8));
    else if (findFlow(state, state.byRef.get(ref)) === flow) state.byRef.delete(ref);
  }
  for (const uid of flow.merged) state.parent.delete(uid);
  state.flows.delete(flow.uid);
  state.stats.flows -= 1;
  state.stats.events -= flow.events.size;
  state.stats.evictedFlows += 1;
  state.stats.evictedEvents += flow.events.size;
}

/** Flows idle past `retentionMs`, then the least recently active ones while over `maxEvents`. */
export function evictIdle(state: EngineState, now: number, retentionMs: number, maxEvents: number) {
  for (const flow of [...state.flows.values()]) if (now - flow.lastTs > retentionMs) evictFlow(state, flow);
  if (state.stats.events <= maxEvents) return;
  const byAge = [...state.flows.values()].sort((a, b) => a.lastTs - b.lastTs);
  for (const flow of byAge) {
    if (state.stats.events <= maxEvents) break;
    evictFlow(state, flow);
  }
}

/** Every flow holding a key with this value (any name), or the flow with this id, event id or message id. */
export function lookupFlows(state: EngineState, value: string): FlowAcc[] {
  const found = new Set<FlowAcc>();
  for (const ks of valueKeys(state, value)) {
    const f = findFlow(state, state.byKey.get(ks));
    if (f) found.add(f);
  }
  // A flow id is the id of its first event, so event ids find flows too.
  for (const uid of [state.byRef.get(value), state.byEvent.get(value)]) {
    const f = findFlow(state, uid);
    if (f) found.add(f);
  }
  return [...found];
}
