import type { CorrelationKey } from '../model/correlationKey.js';
import type { FlowEvent } from '../model/flowEvent.js';
import { firstFlows } from './firstFlows.js';
import type { EngineState, FlowAcc, KeyRec } from './engineState.js';
import { hashString, StringIndex } from './stringIndex.js';

/** Beyond this many retained events the ref index doubles as it fills (a few hundred MB of cells). */
const MAX_PRESIZED_EVENTS = 1_000_000;

/** How many of the most recent flows a search for a hot value lists. */
export const HOT_SEARCH_LIMIT = 100;

export type EngineOptions = {
  /** See `CorrelatorOptions.hotKeyEvents`. */
  readonly hotKeyEvents?: number;
  /**
   * How many events the owner retains at most (its `maxEvents`): the ref index is sized for them
   * at once (at most 3 refs per event) when it outgrows its first size, not doubled as they come.
   */
  readonly expectedEvents?: number;
  /** Seeds the string hash of the indexes: the server's is random (see `StringIndex`). */
  readonly seed?: number;
};

export function createEngine({ hotKeyEvents = 1000, expectedEvents = 0, seed = 0 }: EngineOptions = {}): EngineState {
  const state: EngineState = {
    flows: new Map(),
    keys: new Map(),
    keyRecs: [],
    freeKeyRecs: [],
    refs: new StringIndex((ref, key) => holdsRef(state, ref, key), 3 * Math.min(expectedEvents, MAX_PRESIZED_EVENTS)),
    waitLists: [],
    freeWaits: [],
    events: [],
    slotFlow: [],
    slotNext: new Int32Array(1024),
    slotWait: new Int32Array(1024),
    freeSlots: [],
    stats: { events: 0, flows: 0, merges: 0, duplicates: 0, evictedFlows: 0, evictedEvents: 0, hotKeys: 0 },
    hotKeyEvents,
    seed,
    nextUid: 1,
  };
  return state;
}

/**
 * A ref from 0 up names one id of a retained event: its slot and which id (`slot * 4 + field`),
 * so an event's id and message id that share a hash still have a cell each.
 */
const ID = 0;
const MESSAGE = 1;
const SPAN = 2;
const refTo = (slot: number, field: number) => slot * 4 + field;

/** Whether a ref in `refs` stands for this key: the id of the event it names, or the cause its waiters name. */
function holdsRef(state: EngineState, ref: number, key: string): boolean {
  if (ref < 0) {
    const first = state.waitLists[-ref - 1]?.[0];
    return first !== undefined && state.events[first]?.correlation.causationId === key;
  }
  const e = state.events[ref >> 2];
  if (e === undefined) return false;
  const field = ref & 3;
  return (field === ID ? e.id : field === MESSAGE ? e.correlation.messageId : e.correlation.spanId) === key;
}

/** Resolves a (possibly merged) flow to the live flow holding it now, compressing the forwarding path. */
export function rootOf(flow: FlowAcc | undefined): FlowAcc | undefined {
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

export function flowOfSlot(state: EngineState, slot: number | undefined): FlowAcc | undefined {
  if (slot === undefined) return undefined;
  const at = state.slotFlow[slot];
  const root = rootOf(at);
  if (root !== at) state.slotFlow[slot] = root;
  return root;
}

/** The live flow holding the event with this id, if retained. */
export function flowOfEvent(state: EngineState, eventId: string): FlowAcc | undefined {
  const ref = state.refs.get(eventId, hashString(eventId, state.seed));
  return ref !== undefined && ref >= 0 && (ref & 3) === ID ? flowOfSlot(state, ref >> 2) : undefined;
}

/** The slot of the retained event carrying this ref (event id, message id or span id), if any. */
export function refSlot(state: EngineState, ref: string): number | undefined {
  const v = state.refs.get(ref, hashString(ref, state.seed));
  return v !== undefined && v >= 0 ? v >> 2 : undefined;
}

/** A flow's events in arrival order. */
export function eventsOf(state: EngineState, flow: FlowAcc): FlowEvent[] {
  const out: FlowEvent[] = new Array<FlowEvent>(flow.size);
  let i = 0;
  for (let s = flow.head; s !== -1; s = state.slotNext[s] as number) out[i++] = state.events[s] as FlowEvent;
  return out;
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
const woken: number[] = [];

function touch(flow: FlowAcc | undefined) {
  if (flow && !touched.includes(flow)) touched.push(flow);
}

/** The key's record, made if new. */
function keyRec(state: EngineState, k: CorrelationKey): KeyRec {
  let byValue = state.keys.get(k.name);
  if (!byValue) state.keys.set(k.name, (byValue = valueIndex(state)));
  const hash = hashString(k.value, state.seed);
  const at = byValue.get(k.value, hash);
  if (at !== undefined) return state.keyRecs[at] as KeyRec;
  const rec: KeyRec = { key: k, flow: undefined, count: 0, hot: false, recent: undefined };
  const n = state.freeKeyRecs.pop() ?? state.keyRecs.length;
  state.keyRecs[n] = rec;
  byValue.set(k.value, hash, n);
  return rec;
}

const valueIndex = (state: EngineState) => new StringIndex((n, value) => state.keyRecs[n]?.key.value === value);

/** The key's record, if any event retained carries it. */
export function findRec(
  state: EngineState,
  name: string,
  value: string,
  hash = hashString(value, state.seed),
): KeyRec | undefined {
  const at = state.keys.get(name)?.get(value, hash);
  return at === undefined ? undefined : state.keyRecs[at];
}

/**
 * Adds one event: joins every flow it is connected to (by key, by its cause, by events that named
 * it as their cause) into one. A repeated event id is recorded as a duplicate delivery, not added
 * twice; a repeated message id under a new event id is added and flagged. `replay` re-adds the
 * events of a flow being split: no anomalies or hot keys are found again.
 */
export function ingestEvent(state: EngineState, event: FlowEvent, replay = false): FlowAcc {
  const { refs } = state;
  const idHash = hashString(event.id, state.seed);
  const known = refs.get(event.id, idHash);
  if (known !== undefined && known >= 0 && (known & 3) === ID) {
    const existing = flowOfSlot(state, known >> 2) as FlowAcc;
    state.stats.duplicates += 1;
    (existing.anomalies ??= []).push({
      kind: 'duplicate',
      eventId: event.id,
      message: `Event ${event.id} was delivered more than once.`,
    });
    return existing;
  }

  // A value turning hot rebuilds flows, which renumbers wait lists: look the id up again then.
  const idRef = countKeys(state, event.correlation.keys, replay) ? refs.get(event.id, idHash) : known;
  touched.length = 0;
  woken.length = 0;
  for (const rec of recs) if (!rec.hot) touch(rootOf(rec.flow));
  const { causationId: cause, messageId, spanId } = event.correlation;
  const causeHash = cause === undefined ? 0 : hashString(cause, state.seed);
  const causeRef = cause === undefined ? undefined : refs.get(cause, causeHash);
  if (causeRef !== undefined && causeRef >= 0) touch(flowOfSlot(state, causeRef >> 2));
  // Events that named this one as their cause (by any of its ids) join it.
  if (idRef !== undefined && idRef < 0) wake(state, idRef);
  const messageHash = messageId === undefined ? 0 : hashString(messageId, state.seed);
  const messageRef = messageId === undefined ? undefined : refs.get(messageId, messageHash);
  if (messageRef !== undefined && messageRef < 0) wake(state, messageRef);
  const spanHash = spanId === undefined ? 0 : hashString(spanId, state.seed);
  const spanRef = spanId === undefined ? undefined : refs.get(spanId, spanHash);
  if (spanRef !== undefined && spanRef < 0) wake(state, spanRef);
  const redelivered = !replay && messageRef !== undefined && messageRef >= 0;

  const flow = touched.length === 0 ? newFlow(state, event) : mergeTouched(state);
  const slot = append(state, flow, event);
  for (const rec of recs) {
    if (!rec.hot) rec.flow = flow;
    else noteHot(rec, flow);
  }
  // Each woken ref is one of these three, overwritten here.
  refs.set(event.id, idHash, refTo(slot, ID));
  if (messageId !== undefined && !(messageRef !== undefined && messageRef >= 0) && messageId !== event.id) {
    refs.set(messageId, messageHash, refTo(slot, MESSAGE));
  }
  if (spanId !== undefined && !((refs.get(spanId, spanHash) ?? -1) >= 0)) {
    refs.set(spanId, spanHash, refTo(slot, SPAN));
  }
  for (const w of woken) releaseWait(state, w);
  if (cause !== undefined && !(causeRef !== undefined && causeRef >= 0)) {
    const now = refs.get(cause, causeHash);
    if (now === undefined) {
      const w = state.freeWaits.pop() ?? state.waitLists.length;
      state.waitLists[w] = [slot];
      state.slotWait[slot] = 0;
      refs.set(cause, causeHash, -(w + 1));
    } else if (now < 0) {
      const list = state.waitLists[-now - 1] as number[];
      state.slotWait[slot] = list.length;
      list.push(slot);
    }
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

/**
 * Counts the event's keys (filling `recs`); values that turn hot split the flows they had joined.
 * Returns whether any did.
 */
function countKeys(state: EngineState, keys: readonly CorrelationKey[], replay: boolean): boolean {
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
    for (const k of keys) recs.push(findRec(state, k.name, k.value) as KeyRec);
  }
  return turnedHot;
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

/**
 * Events waiting for a ref as their cause (`-(w + 1)`, as `refs` holds it) join the event that
 * carries it. The list stays until the caller has overwritten the ref with the event's slot (the
 * index finds a ref through its list), then goes (`woken`).
 */
function wake(state: EngineState, ref: number) {
  const w = -ref - 1;
  if (woken.includes(w)) return; // the same ref twice (an event's id is also its message id)
  woken.push(w);
  for (const s of state.waitLists[w] as number[]) touch(flowOfSlot(state, s));
}

/** Frees a wait list: its ref is gone from `refs` or names an event now. */
function releaseWait(state: EngineState, w: number) {
  state.waitLists[w] = undefined;
  state.freeWaits.push(w);
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
    const rec = findRec(state, k.name, k.value) as KeyRec;
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
    unref(state, e.id, refTo(s, ID));
    if (messageId !== undefined) unref(state, messageId, refTo(s, MESSAGE));
    if (spanId !== undefined) unref(state, spanId, refTo(s, SPAN));
    if (causationId !== undefined) {
      const hash = hashString(causationId, state.seed);
      const ref = state.refs.get(causationId, hash);
      const list = ref !== undefined && ref < 0 ? state.waitLists[-ref - 1] : undefined;
      const at = state.slotWait[s] as number;
      if (list && list[at] === s) {
        if (list.length === 1) {
          // The last waiter: the index finds the ref through its list, so it goes first.
          state.refs.delete(causationId, hash);
          releaseWait(state, -(ref as number) - 1);
        } else {
          // Swap-remove: however many events wait for one cause, each leaves in O(1).
          const last = list.pop() as number;
          if (last !== s) {
            list[at] = last;
            state.slotWait[last] = at;
          }
        }
      }
    }
    for (const k of e.correlation.keys) {
      const byValue = state.keys.get(k.name);
      const hash = hashString(k.value, state.seed);
      const at = byValue?.get(k.value, hash);
      const rec = at === undefined ? undefined : state.keyRecs[at];
      if (!byValue || !rec) continue;
      rec.count -= 1;
      if (rec.count === 0 && !replaying) {
        byValue.delete(k.value, hash); // before the record goes: the index finds the value through it
        state.keyRecs[at as number] = undefined;
        state.freeKeyRecs.push(at as number);
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

/** Removes an id from `refs` if it is there as this ref (`refTo`). */
function unref(state: EngineState, id: string, ref: number) {
  const hash = hashString(id, state.seed);
  if (state.refs.get(id, hash) === ref) state.refs.delete(id, hash);
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
