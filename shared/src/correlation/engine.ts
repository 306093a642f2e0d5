import type { CorrelationKey } from '../model/correlationKey.js';
import { firstFlows } from './firstFlows.js';
import type { EngineState, FlowAcc, KeyRec } from './engineState.js';
import {
  allocSlot,
  CAUSE,
  factsAt,
  freeSlot,
  ID,
  idAt,
  idBefore,
  idIs,
  keysOf,
  MESSAGE,
  SPAN,
  type EventFacts,
  type Ingested,
} from './slots.js';
import { hashString, StringIndex } from './stringIndex.js';
import { ValueIndex } from './valueIndex.js';

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
  /**
   * Whether the engine keeps each retained event whole (`SlotFacts.events`). An owner that can
   * read events back by id and seq (the server with a store) passes false: the engine then keeps
   * only what joining and judging flows needs, a fraction of the event (ADR 0025).
   */
  readonly keepEvents?: boolean;
};

const SLOTS = 1024;

export function createEngine({
  hotKeyEvents = 1000,
  expectedEvents = 0,
  seed = 0,
  keepEvents = true,
}: EngineOptions = {}): EngineState {
  const state: EngineState = {
    flows: new Map(),
    keys: new Map(),
    keyRecs: [],
    freeKeyRecs: [],
    refs: new StringIndex((ref, key) => holdsRef(state, ref, key), 3 * Math.min(expectedEvents, MAX_PRESIZED_EVENTS)),
    waitLists: [],
    freeWaits: [],
    facts: {
      seq: new Float64Array(SLOTS),
      ts: new Float64Array(SLOTS),
      step: new Int32Array(SLOTS),
      next: new Int32Array(SLOTS),
      wait: new Int32Array(SLOTS),
      text: [],
      idLen: new Int32Array(SLOTS),
      msgLen: new Int32Array(SLOTS),
      spanLen: new Int32Array(SLOTS),
      causeLen: new Int32Array(SLOTS),
      key0: new Int32Array(SLOTS),
      key1: new Int32Array(SLOTS),
      key2: new Int32Array(SLOTS),
      moreKeys: [],
      events: keepEvents ? [] : undefined,
    },
    slotFlow: [],
    steps: { list: [], free: [], byKey: new Map(), byChannel: new Map() },
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
const refTo = (slot: number, field: number) => slot * 4 + field;

/** Whether a ref in `refs` stands for this key: the id of the event it names, or the cause its waiters name. */
function holdsRef(state: EngineState, ref: number, key: string): boolean {
  if (ref < 0) {
    const first = state.waitLists[-ref - 1]?.[0];
    return first !== undefined && idIs(state, first, CAUSE, key);
  }
  return idIs(state, ref >> 2, ref & 3, key);
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

/** A live flow's public id: the id of its first event. */
export const idOfFlow = (state: EngineState, flow: FlowAcc): string => idAt(state, flow.first, ID) as string;

/** The slot of the retained event carrying this ref (event id, message id or span id), if any. */
export function refSlot(state: EngineState, ref: string): number | undefined {
  const v = state.refs.get(ref, hashString(ref, state.seed));
  return v !== undefined && v >= 0 ? v >> 2 : undefined;
}

/** A flow's events in arrival order, as the engine knows them (see `EventFacts`). */
export function eventsOf(state: EngineState, flow: FlowAcc): EventFacts[] {
  const out: EventFacts[] = new Array<EventFacts>(flow.size);
  let i = 0;
  for (let s = flow.head; s !== -1; s = state.facts.next[s] as number) out[i++] = factsAt(state, s);
  return out;
}

/** Whether slot a's event comes before slot b's by (timestamp, id). */
function before(state: EngineState, a: number, b: number): boolean {
  const { ts } = state.facts;
  const ta = ts[a] as number;
  const tb = ts[b] as number;
  return ta < tb || (ta === tb && idBefore(state, a, b));
}

// Scratch lists reused by every ingest: joining allocates nothing in the common case.
const touched: FlowAcc[] = [];
const recs: KeyRec[] = [];
/** The numbers of `recs` in `keyRecs`. */
const recNums: number[] = [];
const woken: number[] = [];

function touch(flow: FlowAcc | undefined) {
  if (flow && !touched.includes(flow)) touched.push(flow);
}

/** The number of the key's record in `keyRecs`, made if new. */
function keyRec(state: EngineState, k: CorrelationKey): number {
  let byValue = state.keys.get(k.name);
  if (!byValue) state.keys.set(k.name, (byValue = new ValueIndex((n, v) => state.keyRecs[n]?.value === v, k.name)));
  const hash = hashString(k.value, state.seed);
  const at = byValue.get(k.value, hash);
  if (at !== undefined) return at;
  // The name as its index has it: one string for every value of a name.
  const rec: KeyRec = { name: byValue.name, value: k.value, flow: undefined, count: 0, hot: false, recent: undefined };
  const n = state.freeKeyRecs.pop() ?? state.keyRecs.length;
  state.keyRecs[n] = rec;
  byValue.set(k.value, hash, n);
  return n;
}

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
export function ingestEvent(state: EngineState, event: Ingested, replay = false): FlowAcc {
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
      seq: event.seq,
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

  const slot = allocSlot(state, event, recNums, replay);
  const flow = touched.length === 0 ? newFlow(state, slot) : mergeTouched(state);
  append(state, flow, slot);
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
      state.facts.wait[slot] = 0;
      refs.set(cause, causeHash, -(w + 1));
    } else if (now < 0) {
      const list = state.waitLists[-now - 1] as number[];
      state.facts.wait[slot] = list.length;
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
  recNums.length = 0;
  for (const k of keys) {
    const n = keyRec(state, k);
    const rec = state.keyRecs[n] as KeyRec;
    rec.count += 1;
    recs.push(rec);
    recNums.push(n);
    if (!rec.hot && !replay && rec.count > state.hotKeyEvents) {
      rec.hot = true;
      turnedHot = true;
      state.stats.hotKeys += 1;
    }
  }
  if (turnedHot) {
    splitHot(state, keys); // re-enters ingestEvent, which reuses the scratch lists
    recs.length = 0;
    recNums.length = 0;
    for (const k of keys) {
      const n = state.keys.get(k.name)?.get(k.value, hashString(k.value, state.seed)) as number;
      recs.push(state.keyRecs[n] as KeyRec);
      recNums.push(n);
    }
  }
  return turnedHot;
}

function newFlow(state: EngineState, slot: number): FlowAcc {
  const flow: FlowAcc = {
    uid: state.nextUid++,
    head: -1,
    tail: -1,
    size: 0,
    lastTs: state.facts.ts[slot] as number,
    first: slot,
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

/** Puts the event's slot at the end of the flow's list. */
function append(state: EngineState, flow: FlowAcc, slot: number) {
  state.slotFlow[slot] = flow;
  if (flow.tail === -1) flow.head = slot;
  else state.facts.next[flow.tail] = slot;
  flow.tail = slot;
  flow.size += 1;
  state.stats.events += 1;
  if (before(state, slot, flow.first)) flow.first = slot;
  const ts = state.facts.ts[slot] as number;
  if (ts > flow.lastTs) flow.lastTs = ts;
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
    const firstId = idOfFlow(state, flow);
    const merges = state.stats.merges;
    removeFlow(state, flow, true);
    state.stats.flows -= 1;
    state.stats.events -= events.length;
    for (const e of events) ingestEvent(state, e, true).learned ||= learned;
    state.stats.merges = merges;
    for (const a of anomalies ?? []) {
      const to = (a.eventId !== undefined ? flowOfEvent(state, a.eventId) : undefined) ?? flowOfEvent(state, firstId);
      if (to) (to.anomalies ??= []).push(a);
    }
  }
}

function mergeInto(state: EngineState, into: FlowAcc, from: FlowAcc) {
  state.facts.next[into.tail] = from.head;
  into.tail = from.tail;
  into.size += from.size;
  if (from.anomalies) (into.anomalies ??= []).push(...from.anomalies);
  if (before(state, from.first, into.first)) into.first = from.first;
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
  const f = state.facts;
  for (let s = flow.head; s !== -1;) {
    for (let field = ID; field <= SPAN; field++) {
      const id = idAt(state, s, field);
      if (id !== undefined) unref(state, id, refTo(s, field));
    }
    const cause = idAt(state, s, CAUSE);
    if (cause !== undefined) leaveWait(state, cause, s);
    for (const n of keysOf(state, s)) dropKey(state, n, replaying);
    const next = f.next[s] as number;
    freeSlot(state, s);
    s = next;
  }
  flow.gone = true;
  state.flows.delete(flow.uid);
}

/** Takes the slot out of the wait list of its cause, if it waits there. */
function leaveWait(state: EngineState, cause: string, s: number) {
  const hash = hashString(cause, state.seed);
  const ref = state.refs.get(cause, hash);
  const list = ref !== undefined && ref < 0 ? state.waitLists[-ref - 1] : undefined;
  const at = state.facts.wait[s] as number;
  if (!list || list[at] !== s) return;
  if (list.length === 1) {
    // The last waiter: the index finds the ref through its list, so it goes first.
    state.refs.delete(cause, hash);
    releaseWait(state, -(ref as number) - 1);
  } else {
    // Swap-remove: however many events wait for one cause, each leaves in O(1).
    const last = list.pop() as number;
    if (last !== s) {
      list[at] = last;
      state.facts.wait[last] = at;
    }
  }
}

/** One retained event less carries this key; unless `replaying`, its record goes at 0. */
function dropKey(state: EngineState, n: number, replaying: boolean) {
  const rec = state.keyRecs[n];
  if (!rec) return;
  rec.count -= 1;
  if (rec.count > 0 || replaying) return;
  const byValue = state.keys.get(rec.name);
  // Before the record goes: the index finds the value through it.
  byValue?.delete(rec.value, hashString(rec.value, state.seed));
  state.keyRecs[n] = undefined;
  state.freeKeyRecs.push(n);
  if (byValue?.size === 0) state.keys.delete(rec.name);
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
