import type { CorrelationKey } from '../model/correlationKey.js';
import type { Anomaly } from '../model/flow.js';
import type { FlowEvent } from '../model/flowEvent.js';
import type { StringIndex } from './stringIndex.js';

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
  /**
   * Key name → key value → its record's number in `keyRecs`: two levels, so no key string is built
   * per event; values in a `StringIndex`, as they are as many as the flows.
   */
  readonly keys: Map<string, StringIndex>;
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
  /** Slot → event, its flow (maybe merged since: see `rootOf`), and the next slot of its flow (-1: none). */
  readonly events: (FlowEvent | undefined)[];
  readonly slotFlow: (FlowAcc | undefined)[];
  slotNext: Int32Array;
  /** Slot → its index in the wait list of its cause, so eviction removes it in O(1). */
  slotWait: Int32Array;
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

export type KeyRec = {
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
