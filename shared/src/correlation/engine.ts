import type { CorrelationKey } from '../model/correlationKey.js';
import type { Anomaly } from '../model/flow.js';
import type { FlowEvent } from '../model/flowEvent.js';

/**
 * The correlation engine's state: events joined into flows.
 *
 * Invariants:
 * - every retained event has a slot; `slotFlow[slot]` → `rootOf` → the one live flow holding it,
 *   whose linked list (`head`, `slotNext`) holds exactly its events;
 * - two events share a flow iff they are connected by shared keys (same name and value, while
 *   the value is not hot) or by a causation link (an event's causationId names another's message
 *   id, event id or span id), whatever the order they arrived in;
 * - a key value carried by more than `hotKeyEvents` retained events is hot (a tenant, a customer, a
 *   constant): it joins nothing, and the flow it had joined is split as if it never had; every
 *   retained event carrying a value that is not hot is in the flow `keys` names for it;
 * - merged flows keep the larger one's uid; the others forward to it (`into`, union-find); a
 *   merge links two lists and copies nothing, so no step of ingest grows with the size of a flow;
 * - nothing is retained past eviction: an evicted flow leaves no key, ref, slot or event behind.
 *
 * The state is owned by one caller and updated in place for speed (it sees every event); readers
 * get plain data from `viewFlow`. No clock is read: time comes in as `now`.
 */
export type EngineState = {
  readonly flows: Map<number, FlowAcc>;
  /** Key name → key value → its record: two levels, so no key string is built per event. */
  readonly keys: Map<string, Map<string, KeyRec>>;
  /** Event ids, message ids and span ids of retained events → slot (an event id wins over the others). */
  readonly refs: Map<string, number>;
  /** causationId not (yet) seen → slots of the events waiting for it. */
  readonly waiting: Map<string, number[]>;
  /** Slot → event, its flow (maybe merged since: see `rootOf`), and the next slot of its flow (-1: none). */
  readonly events: (FlowEvent | undefined)[];
  readonly slotFlow: (FlowAcc | undefined)[];
  slotNext: Int32Array;
  /** Slot → its index in the `waiting` list of its cause, so eviction removes it in O(1). */
  slotWait: Int32Array;
  readonly freeSlots: number[];
  readonly stats: EngineStats;
  readonly hotKeyEvents: number;
  nextUid: number;
};

export type FlowAcc = {
  readonly uid: number;
  /** First and last slot of the flow's events, in arrival order (merged parts appended). */
  head: number;
  tail: number;
  size: number;
  /** Latest event timestamp: drives eviction, settling and stuck detection. */
  lastTs: number;
  /** The first event by (timestamp, id): its id is the flow's public id. */
  first: FlowEvent;
  learned: boolean;
  /** Duplicate deliveries; most flows have none. */
  anomalies: Anomaly[] | undefined;
  /** The flow this one was merged into. */
  into: FlowAcc | undefined;
  /** Evicted (or split): no longer live. */
  gone: boolean;
};

type KeyRec = {
  readonly key: CorrelationKey;
  /** The flow holding every retained event with this value (when not hot). */
  flow: FlowAcc | undefined;
  /** Retained events carrying it. */
  count: number;
  hot: boolean;
  /** When hot: the flows that most recently received it, for search. */
  recent: FlowAcc[] | undefined;
};

export type EngineStats = {
  events: number;
  flows: number;
  merges: number;
  duplicates: number;
  evictedFlows: number;
  evictedEvents: number;
  /** Key values found to be shared by more than `hotKeyEvents` events (no longer joining flows). */
  hotKeys: number;
};

/** How many of the most recent flows a search for a hot value lists. */
const HOT_SEARCH_LIMIT = 100;

export const createEngine = (hotKeyEvents = 1000): EngineState => ({
  flows: new Map(),
  keys: new Map(),
  refs: new Map(),
  waiting: new Map(),
  events: [],
  slotFlow: [],
  slotNext: new Int32Array(1024),
  slotWait: new Int32Array(1024),
  freeSlots: [],
  stats: { events: 0, flows: 0, merges: 0, duplicates: 0, evictedFlows: 0, evictedEvents: 0, hotKeys: 0 },
  hotKeyEvents,
  nextUid: 1,
});

/** Resolves a (possibly merged) flow to the live flow holding it now, compressing the forwarding path. */
function rootOf(flow: FlowAcc | undefined): FlowAcc | undefined {
  if (flow === undefined) return undefined;
  let root = flow;
  while (root.into !== undefined) root = root.into;
  for (let f = flow; f.into !== undefined && f.into !== root;) {
    const next: FlowAcc = f.into;
    f.into = root;
    f = next;
  }
  return root.gone ? undefined : root;
}

function flowOfSlot(state: EngineState, slot: number | undefined): FlowAcc | undefined {
  if (slot === undefined) return undefined;
  const at = state.slotFlow[slot];
  const root = rootOf(at);
  if (root !== at) state.slotFlow[slot] = root;
  return root;
}

/** The live flow holding the event with this id, if retained. */
export function flowOfEvent(state: EngineState, eventId: string): FlowAcc | undefined {
  const slot = state.refs.get(eventId);
  return slot !== undefined && state.events[slot]?.id === eventId ? flowOfSlot(state, slot) : undefined;
}

/** A flow's events in arrival order. */
export function eventsOf(state: EngineState, flow: FlowAcc): FlowEvent[] {
  const out: FlowEvent[] = new Array<FlowEvent>(flow.size);
  let i = 0;
  for (let s = flow.head; s !== -1; s = state.slotNext[s] as number) out[i++] = state.events[s] as FlowEvent;
  return out;
}

/** What readers need of a flow, as plain data. */
export type FlowView = {
  readonly first: FlowEvent;
  readonly lastTs: number;
  /** In arrival order. */
  readonly events: readonly FlowEvent[];
  /** Every distinct key its events carry. */
  readonly keys: readonly CorrelationKey[];
  readonly anomalies: readonly Anomaly[];
};

export function viewFlow(state: EngineState, flow: FlowAcc): FlowView {
  const events = eventsOf(state, flow);
  const seen = new Map<string, Set<string>>();
  const keys: CorrelationKey[] = [];
  for (const e of events) {
    for (const k of e.correlation.keys) {
      let values = seen.get(k.name);
      if (!values) seen.set(k.name, (values = new Set()));
      if (values.has(k.value)) continue;
      values.add(k.value);
      keys.push(k);
    }
  }
  return { first: flow.first, lastTs: flow.lastTs, events, keys, anomalies: flow.anomalies ?? [] };
}

const before = (a: FlowEvent, b: FlowEvent) =>
  a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.id < b.id);

function allocSlot(state: EngineState, event: FlowEvent): number {
  const slot = state.freeSlots.pop() ?? state.events.length;
  if (slot >= state.slotNext.length) {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    state.slotNext = grow(state.slotNext);
    state.slotWait = grow(state.slotWait);
  }
  state.events[slot] = event;
  state.slotNext[slot] = -1;
  return slot;
}

// Scratch lists reused by every ingest: joining allocates nothing in the common case.
const touched: FlowAcc[] = [];
const recs: KeyRec[] = [];

function touch(flow: FlowAcc | undefined) {
  if (flow && !touched.includes(flow)) touched.push(flow);
}

function keyRec(state: EngineState, k: CorrelationKey): KeyRec {
  let byValue = state.keys.get(k.name);
  if (!byValue) state.keys.set(k.name, (byValue = new Map()));
  let rec = byValue.get(k.value);
  if (!rec) byValue.set(k.value, (rec = { key: k, flow: undefined, count: 0, hot: false, recent: undefined }));
  return rec;
}

/**
 * Adds one event: joins every flow it is connected to (by key, by its cause, by events that named
 * it as their cause) into one. A repeated event id is recorded as a duplicate delivery, not added
 * twice; a repeated message id under a new event id is added and flagged. `replay` re-adds the
 * events of a flow being split: no anomalies or hot keys are found again.
 */
export function ingestEvent(state: EngineState, event: FlowEvent, replay = false): FlowAcc {
  const known = state.refs.get(event.id);
  if (known !== undefined && state.events[known]?.id === event.id) {
    const existing = flowOfSlot(state, known) as FlowAcc;
    state.stats.duplicates += 1;
    (existing.anomalies ??= []).push({
      kind: 'duplicate',
      eventId: event.id,
      message: `Event ${event.id} was delivered more than once.`,
    });
    return existing;
  }

  countKeys(state, event.correlation.keys, replay);
  touched.length = 0;
  for (const rec of recs) if (!rec.hot) touch(rootOf(rec.flow));
  const { causationId: cause, messageId, spanId } = event.correlation;
  const causeSlot = cause === undefined ? undefined : state.refs.get(cause);
  if (causeSlot !== undefined) touch(flowOfSlot(state, causeSlot));
  if (state.waiting.size > 0) {
    wake(state, event.id);
    if (messageId !== undefined) wake(state, messageId);
    if (spanId !== undefined) wake(state, spanId);
  }
  const messageSlot = messageId === undefined ? undefined : state.refs.get(messageId);
  const redelivered = !replay && messageSlot !== undefined;

  const flow = touched.length === 0 ? newFlow(state, event) : mergeTouched(state);
  const slot = append(state, flow, event);
  for (const rec of recs) {
    if (!rec.hot) rec.flow = flow;
    else noteHot(rec, flow);
  }
  state.refs.set(event.id, slot);
  if (messageId !== undefined && messageSlot === undefined && messageId !== event.id) state.refs.set(messageId, slot);
  if (spanId !== undefined && !state.refs.has(spanId)) state.refs.set(spanId, slot);
  if (cause !== undefined && causeSlot === undefined && !state.refs.has(cause)) {
    const list = state.waiting.get(cause);
    state.slotWait[slot] = list ? list.length : 0;
    if (list) list.push(slot);
    else state.waiting.set(cause, [slot]);
  }
  if (redelivered) {
    state.stats.duplicates += 1;
    (flow.anomalies ??= []).push({
      kind: 'duplicate',
      eventId: event.id,
      message: `Message ${messageId} was delivered again as ${event.id}.`,
    });
  }
  return flow;
}

/** Counts the event's keys (filling `recs`); values that turn hot split the flows they had joined. */
function countKeys(state: EngineState, keys: readonly CorrelationKey[], replay: boolean) {
  let turnedHot = false;
  recs.length = 0;
  for (const k of keys) {
    const rec = keyRec(state, k);
    rec.count += 1;
    recs.push(rec);
    if (!rec.hot && !replay && rec.count > state.hotKeyEvents) {
      rec.hot = true;
      turnedHot = true;
      state.stats.hotKeys += 1;
    }
  }
  if (turnedHot) {
    splitHot(state, keys); // re-enters ingestEvent, which reuses the scratch lists
    recs.length = 0;
    for (const k of keys) recs.push(state.keys.get(k.name)?.get(k.value) as KeyRec);
  }
}

function newFlow(state: EngineState, event: FlowEvent): FlowAcc {
  const flow: FlowAcc = {
    uid: state.nextUid++,
    head: -1,
    tail: -1,
    size: 0,
    lastTs: event.timestamp,
    first: event,
    learned: false,
    anomalies: undefined,
    into: undefined,
    gone: false,
  };
  state.flows.set(flow.uid, flow);
  state.stats.flows += 1;
  return flow;
}

/** Joins the touched flows into the largest (then the oldest): uids and ids stay stable as small flows join. */
function mergeTouched(state: EngineState): FlowAcc {
  let flow = touched[0] as FlowAcc;
  for (const f of touched) if (f.size > flow.size || (f.size === flow.size && f.uid < flow.uid)) flow = f;
  for (const f of touched) if (f !== flow) mergeInto(state, flow, f);
  return flow;
}

/** Gives the event a slot at the end of the flow's list. */
function append(state: EngineState, flow: FlowAcc, event: FlowEvent): number {
  const slot = allocSlot(state, event);
  state.slotFlow[slot] = flow;
  if (flow.tail === -1) flow.head = slot;
  else state.slotNext[flow.tail] = slot;
  flow.tail = slot;
  flow.size += 1;
  state.stats.events += 1;
  if (before(event, flow.first)) flow.first = event;
  if (event.timestamp > flow.lastTs) flow.lastTs = event.timestamp;
  return slot;
}

/** Events waiting for this ref as their cause join the event that carries it. */
function wake(state: EngineState, ref: string) {
  const waiters = state.waiting.get(ref);
  if (waiters === undefined) return;
  for (const w of waiters) touch(flowOfSlot(state, w));
  state.waiting.delete(ref);
}

function noteHot(rec: KeyRec, flow: FlowAcc) {
  const recent = (rec.recent ??= []);
  if (recent[recent.length - 1] === flow) return;
  recent.push(flow);
  if (recent.length > 2 * HOT_SEARCH_LIMIT) recent.splice(0, recent.length - HOT_SEARCH_LIMIT);
}

/**
 * Keys of this event just turned hot: the flows they had joined are rebuilt from their events
 * without them. Runs once per hot value, over at most about `hotKeyEvents` events.
 */
function splitHot(state: EngineState, keys: readonly CorrelationKey[]) {
  for (const k of keys) {
    const rec = state.keys.get(k.name)?.get(k.value) as KeyRec;
    if (!rec.hot || rec.recent !== undefined) continue;
    rec.recent = [];
    const flow = rootOf(rec.flow);
    if (!flow) continue;
    const events = eventsOf(state, flow).sort((a, b) => a.seq - b.seq);
    const { anomalies, learned } = flow;
    const merges = state.stats.merges;
    removeFlow(state, flow, true);
    state.stats.flows -= 1;
    state.stats.events -= events.length;
    for (const e of events) ingestEvent(state, e, true).learned ||= learned;
    state.stats.merges = merges;
    for (const a of anomalies ?? []) {
      const to =
        (a.eventId !== undefined ? flowOfEvent(state, a.eventId) : undefined) ?? flowOfEvent(state, flow.first.id);
      if (to) (to.anomalies ??= []).push(a);
    }
  }
}

function mergeInto(state: EngineState, into: FlowAcc, from: FlowAcc) {
  state.slotNext[into.tail] = from.head;
  into.tail = from.tail;
  into.size += from.size;
  if (from.anomalies) (into.anomalies ??= []).push(...from.anomalies);
  if (before(from.first, into.first)) into.first = from.first;
  if (from.lastTs > into.lastTs) into.lastTs = from.lastTs;
  from.into = into;
  state.flows.delete(from.uid);
  state.stats.flows -= 1;
  state.stats.merges += 1;
}

/**
 * Removes a flow and everything that points at it (its events' slots, refs, key counts, waits).
 * `replaying`: its events are about to be added again, so key records (and their hot marks) stay.
 */
function removeFlow(state: EngineState, flow: FlowAcc, replaying: boolean) {
  for (let s = flow.head; s !== -1;) {
    const e = state.events[s] as FlowEvent;
    const { causationId, messageId, spanId } = e.correlation;
    if (state.refs.get(e.id) === s) state.refs.delete(e.id);
    if (messageId !== undefined && state.refs.get(messageId) === s) state.refs.delete(messageId);
    if (spanId !== undefined && state.refs.get(spanId) === s) state.refs.delete(spanId);
    if (causationId !== undefined) {
      const list = state.waiting.get(causationId);
      const at = state.slotWait[s] as number;
      if (list && list[at] === s) {
        // Swap-remove: however many events wait for one cause, each leaves in O(1).
        const last = list.pop() as number;
        if (last !== s) {
          list[at] = last;
          state.slotWait[last] = at;
        }
        if (list.length === 0) state.waiting.delete(causationId);
      }
    }
    for (const k of e.correlation.keys) {
      const byValue = state.keys.get(k.name);
      const rec = byValue?.get(k.value);
      if (!byValue || !rec) continue;
      rec.count -= 1;
      if (rec.count === 0 && !replaying) {
        byValue.delete(k.value);
        if (byValue.size === 0) state.keys.delete(k.name);
      }
    }
    const next = state.slotNext[s] as number;
    state.events[s] = undefined;
    state.slotFlow[s] = undefined;
    state.freeSlots.push(s);
    s = next;
  }
  flow.gone = true;
  state.flows.delete(flow.uid);
}

function evictFlow(state: EngineState, flow: FlowAcc) {
  removeFlow(state, flow, false);
  state.stats.flows -= 1;
  state.stats.events -= flow.size;
  state.stats.evictedFlows += 1;
  state.stats.evictedEvents += flow.size;
}

/**
 * Flows idle past `retentionMs`, then the least recently active ones (ties: oldest first) while
 * over `maxEvents`: picked about as many as the excess needs at a time, not by sorting every flow.
 */
export function evictIdle(state: EngineState, now: number, retentionMs: number, maxEvents: number) {
  for (const flow of state.flows.values()) if (now - flow.lastTs > retentionMs) evictFlow(state, flow);
  trimTo(state, maxEvents);
}

/** Evicts the least recently active flows (ties: oldest first) while over `maxEvents`. */
export function trimTo(state: EngineState, maxEvents: number) {
  while (state.stats.events > maxEvents && state.flows.size > 0) {
    const perFlow = state.stats.events / state.flows.size;
    const count = Math.ceil((state.stats.events - maxEvents) / perFlow) + 16;
    for (const flow of firstFlows(state.flows.values(), count, (a, b) => a.lastTs < b.lastTs)) {
      if (state.stats.events <= maxEvents) break;
      evictFlow(state, flow);
    }
  }
}

/**
 * The first `limit` flows in the order `before` gives (ties in iteration order), as a sort would
 * give them, with a heap of `limit`: O(flows × log limit).
 */
export function firstFlows(
  flows: Iterable<FlowAcc>,
  limit: number,
  before: (a: FlowAcc, b: FlowAcc) => boolean,
): FlowAcc[] {
  type Entry = { readonly f: FlowAcc; readonly order: number };
  // The heap's root is the entry that ranks last.
  const after = (a: Entry, b: Entry) => before(b.f, a.f) || (!before(a.f, b.f) && a.order > b.order);
  const heap: Entry[] = [];
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j] as Entry, heap[i] as Entry];
  };
  let order = 0;
  for (const f of flows) {
    const e = { f, order: order++ };
    if (heap.length < limit) {
      heap.push(e);
      for (let i = heap.length - 1, p = (i - 1) >> 1; i > 0 && after(heap[i] as Entry, heap[p] as Entry);) {
        swap(i, p);
        i = p;
        p = (i - 1) >> 1;
      }
    } else if (limit > 0 && after(heap[0] as Entry, e)) {
      heap[0] = e;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        let m = i;
        if (l < heap.length && after(heap[l] as Entry, heap[m] as Entry)) m = l;
        if (l + 1 < heap.length && after(heap[l + 1] as Entry, heap[m] as Entry)) m = l + 1;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0)).map((e) => e.f);
}

/**
 * Every flow holding a key with this value (any name; for a hot value, the most recently active
 * ones), or the flow with this id, event id, message id or span id.
 */
export function lookupFlows(state: EngineState, value: string): FlowAcc[] {
  const found = new Set<FlowAcc>();
  const add = (f: FlowAcc | undefined) => f && found.add(f);
  for (const byValue of state.keys.values()) {
    const rec = byValue.get(value);
    if (!rec) continue;
    if (!rec.hot) add(rootOf(rec.flow));
    else for (const f of (rec.recent ?? []).slice(-HOT_SEARCH_LIMIT)) add(rootOf(f));
  }
  // A flow id is the id of its first event, so event ids find flows too.
  add(flowOfSlot(state, state.refs.get(value)));
  return [...found];
}
