import type { Anomaly } from '../model/flow.js';
import type { EventOrigin } from '../model/broker.js';
import type { FlowEvent } from '../model/flowEvent.js';
import type { ValueIndex } from './valueIndex.js';
import type { StringIndex } from './stringIndex.js';

/**
 * The correlation engine's state: events joined into flows.
 *
 * Invariants:
 * - every retained event has a slot; `slotFlow[slot]` → `rootOf` → the one live flow holding it,
 *   whose linked list (`head`, `facts.next`) holds exactly its events;
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
  /**
   * Key name → key value → its record's number in `keyRecs`: two levels, so no key string is built
   * per event; values in a `StringIndex`, as they are as many as the flows.
   */
  readonly keys: Map<string, ValueIndex>;
  readonly keyRecs: (KeyRec | undefined)[];
  readonly freeKeyRecs: number[];
  /**
   * Event ids, message ids and span ids of retained events → their slot and which id it is
   * (`slot * 4 + field`; an event id wins over the others); and a causationId not (yet) seen → `-(w + 1)`, where `waitLists[w]` holds the slots of
   * the events waiting for it. One index for both: an arriving event's ids are each looked up once.
   */
  readonly refs: StringIndex;
  readonly waitLists: (number[] | undefined)[];
  readonly freeWaits: number[];
  /** Slot → what is kept of its event (`SlotFacts`), its flow (maybe merged since: see `rootOf`). */
  readonly facts: SlotFacts;
  readonly slotFlow: (FlowAcc | undefined)[];
  /** The steps (source, channel, type, producer) of retained events, each kept once. */
  readonly steps: StepTable;
  readonly freeSlots: number[];
  readonly stats: EngineStats;
  readonly hotKeyEvents: number;
  /** Seeds the string hash of the indexes (`hashString`). */
  readonly seed: number;
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
  /** The slot of the first event by (timestamp, id): its id is the flow's public id. */
  first: number;
  learned: boolean;
  /** Duplicate deliveries; most flows have none. */
  anomalies: Anomaly[] | undefined;
  /** The flow this one was merged into. */
  into: FlowAcc | undefined;
  /** Evicted (or split): no longer live. */
  gone: boolean;
};

/**
 * What the engine keeps of each retained event, by slot, in columns: the ids it joins by, its time,
 * its step and its keys (as key record numbers). A few hundred bytes of heap per event where the event
 * itself takes one or two KiB (its payload, headers and parsed graph): the engine retains many
 * times the events the buffer does, and full events are read back (from the buffer, or the store)
 * only when a flow is shown whole (ADR 0025).
 */
export type SlotFacts = {
  /** Grown together (see `allocSlot`). */
  seq: Float64Array;
  ts: Float64Array;
  /** Index into `steps.list`. */
  step: Int32Array;
  /** The next slot of the same flow, in arrival order (-1: none). */
  next: Int32Array;
  /** The slot's index in the wait list of its cause, so eviction removes it in O(1). */
  wait: Int32Array;
  /**
   * The event's ids in one string: its id, then its message id unless the id ends with it (as
   * `<broker>/<cluster>/<channel>/<message id>` does), its span id, its causation id; the id without
   * its step's `prefix` when it starts with it. Their lengths are in the columns below (-1: none;
   * an id without its prefix: -1 - its length; a message id at the id's end: -2 - its length).
   */
  readonly text: (string | undefined)[];
  idLen: Int32Array;
  msgLen: Int32Array;
  spanLen: Int32Array;
  causeLen: Int32Array;
  /** Key record numbers: the first three (-1: none), then the rest, if any. */
  key0: Int32Array;
  key1: Int32Array;
  key2: Int32Array;
  readonly moreKeys: (number[] | undefined)[];
  /** The events themselves, when the engine keeps them (no `resolve` given: see `EngineOptions`). */
  readonly events: (FlowEvent | undefined)[] | undefined;
};

/** Where and what a step is: shared by every retained event of the same source, channel, type and producer. */
export type Step = {
  readonly source: EventOrigin;
  readonly channel: string;
  readonly type: string | undefined;
  readonly producer: string | undefined;
  readonly deadLettered: boolean;
  /** How ids of events read from this channel begin (`<broker>/<cluster>/<channel>/`): left out of `SlotFacts.text`. */
  readonly prefix: string;
  /** Retained events of this step; at 0 it goes. */
  count: number;
};

type StepTable = {
  readonly list: (Step | undefined)[];
  readonly free: number[];
  /** Interning key (`stepKey`) → index in `list`. */
  readonly byKey: Map<string, number>;
  /** Channel → the indexes of its first few steps, checked before `byKey`. */
  readonly byChannel: Map<string, number[]>;
};

/** A key value retained events carry (its name's string shared by every record of that name). */
export type KeyRec = {
  readonly name: string;
  readonly value: string;
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
