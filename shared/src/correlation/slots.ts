import type { EventOrigin } from '../model/broker.js';
import type { CorrelationKey } from '../model/correlationKey.js';
import type { FlowEvent } from '../model/flowEvent.js';
import { isDeadLettered } from './anomalies.js';
import type { EngineState, KeyRec, SlotFacts, Step } from './engineState.js';

/**
 * What the engine knows of a retained event (`SlotFacts`), as one object: what joining, ordering
 * and judging a flow read. `event` is the event itself when the engine keeps events.
 */
export type EventFacts = {
  readonly id: string;
  readonly seq: FlowEvent['seq'];
  readonly timestamp: FlowEvent['timestamp'];
  readonly source: EventOrigin;
  readonly channel: string;
  readonly type?: string;
  readonly producer?: string;
  readonly deadLettered: boolean;
  readonly correlation: {
    readonly keys: readonly CorrelationKey[];
    readonly messageId?: string;
    readonly causationId?: string;
    readonly spanId?: string;
  };
  readonly event?: FlowEvent;
};

/** What ingest takes: an event, or (when `replay`) the facts of one being added again (a split). */
export type Ingested = FlowEvent | EventFacts;

/** Gives the event a slot and writes what is kept of it there. `keys`: its key record numbers. */
export function allocSlot(state: EngineState, e: Ingested, keys: readonly number[], replay: boolean): number {
  const f = state.facts;
  const slot = state.freeSlots.pop() ?? f.text.length;
  if (slot >= f.next.length) grow(f);
  f.seq[slot] = e.seq;
  f.ts[slot] = e.timestamp;
  f.step[slot] = internStep(state, e, replay);
  f.next[slot] = -1;
  const { id } = e;
  const { messageId, spanId, causationId } = e.correlation;
  // One string per event for its ids (a string costs 16 bytes before its text, a column 8 per
  // slot), without the `<broker>/<cluster>/<channel>/` its step knows when the id starts with it.
  const prefix = (state.steps.list[f.step[slot] as number] as Step).prefix;
  const own = id.length > prefix.length && id.startsWith(prefix) ? id.slice(prefix.length) : id;
  let text = own;
  f.idLen[slot] = own === id ? id.length : -1 - own.length;
  if (messageId === undefined) f.msgLen[slot] = -1;
  else if (own.endsWith(messageId))
    f.msgLen[slot] = -2 - messageId.length; // often: its id ends with it
  else {
    f.msgLen[slot] = messageId.length;
    text += messageId;
  }
  f.spanLen[slot] = spanId === undefined ? -1 : spanId.length;
  if (spanId !== undefined) text += spanId;
  f.causeLen[slot] = causationId === undefined ? -1 : causationId.length;
  if (causationId !== undefined) text += causationId;
  // A slice keeps the whole id it was cut from: one more character makes a concatenation, and
  // reading it flattens it into a string of its own (the parts are not kept).
  if (text === own && own !== id) text += '.';
  if (text !== id) text.charCodeAt(0);
  f.text[slot] = text;
  f.key0[slot] = keys.length > 0 ? (keys[0] as number) : -1;
  f.key1[slot] = keys.length > 1 ? (keys[1] as number) : -1;
  f.key2[slot] = keys.length > 2 ? (keys[2] as number) : -1;
  f.moreKeys[slot] = keys.length > 3 ? keys.slice(3) : undefined;
  if (f.events) f.events[slot] = replay ? (e as EventFacts).event : (e as FlowEvent);
  return slot;
}

/** Which id of a slot: its event id, message id, span id or causation id. */
export const ID = 0;
export const MESSAGE = 1;
export const SPAN = 2;
export const CAUSE = 3;

// Where `locate` found the id last (no tuple made per call).
let at = 0;
let len = 0;

/** Finds where the slot's id of this kind is in its text; false when it has none. */
function locate(f: SlotFacts, slot: number, field: number): boolean {
  const code = f.idLen[slot] as number;
  const idLen = code >= 0 ? code : -1 - code;
  if (field === ID) {
    at = 0;
    len = idLen;
    return true;
  }
  const msg = f.msgLen[slot] as number;
  if (field === MESSAGE) {
    if (msg === -1) return false;
    len = msg >= 0 ? msg : -2 - msg;
    at = msg >= 0 ? idLen : idLen - len;
    return true;
  }
  const span = f.spanLen[slot] as number;
  at = idLen + Math.max(msg, 0);
  if (field === SPAN) {
    len = span;
    return span >= 0;
  }
  at += Math.max(span, 0);
  len = f.causeLen[slot] as number;
  return len >= 0;
}

/** The `<broker>/<cluster>/<channel>/` left out of the slot's text before its id ('' when none was). */
function idPrefix(state: EngineState, slot: number): string {
  const f = state.facts;
  return (f.idLen[slot] as number) >= 0 ? '' : (state.steps.list[f.step[slot] as number] as Step).prefix;
}

/**
 * Whether slot a's event id sorts before slot b's (as strings compare: by UTF-16 unit), without
 * making either string: events of a flow stamped the same millisecond are ordered by id.
 */
export function idBefore(state: EngineState, a: number, b: number): boolean {
  const f = state.facts;
  const pa = idPrefix(state, a);
  const pb = idPrefix(state, b);
  const codeA = f.idLen[a] as number;
  const codeB = f.idLen[b] as number;
  const la = pa.length + (codeA >= 0 ? codeA : -1 - codeA);
  const lb = pb.length + (codeB >= 0 ? codeB : -1 - codeB);
  const ta = f.text[a] as string;
  const tb = f.text[b] as string;
  for (let i = 0, n = Math.min(la, lb); i < n; i++) {
    const ca = i < pa.length ? pa.charCodeAt(i) : ta.charCodeAt(i - pa.length);
    const cb = i < pb.length ? pb.charCodeAt(i) : tb.charCodeAt(i - pb.length);
    if (ca !== cb) return ca < cb;
  }
  return la < lb;
}

/** Whether the slot's id of this kind is `key`, without making a string (but for an id's prefix). */
export function idIs(state: EngineState, slot: number, field: number, key: string): boolean {
  const f = state.facts;
  if (!locate(f, slot, field)) return false;
  const text = f.text[slot] as string;
  if (field !== ID || (f.idLen[slot] as number) >= 0) return len === key.length && text.startsWith(key, at);
  const prefix = idPrefix(state, slot);
  return len + prefix.length === key.length && key.startsWith(prefix) && text.startsWith(key.slice(prefix.length), at);
}

/** The slot's id of this kind, if it has one. */
export function idAt(state: EngineState, slot: number, field: number): string | undefined {
  const f = state.facts;
  if (!locate(f, slot, field)) return undefined;
  const text = f.text[slot] as string;
  const part = at === 0 && len === text.length ? text : text.slice(at, at + len);
  return field === ID ? idPrefix(state, slot) + part : part;
}

/** The slot's key record numbers. */
export function keysOf(state: EngineState, slot: number): number[] {
  const f = state.facts;
  const k0 = f.key0[slot] as number;
  if (k0 < 0) return [];
  const k1 = f.key1[slot] as number;
  if (k1 < 0) return [k0];
  const k2 = f.key2[slot] as number;
  if (k2 < 0) return [k0, k1];
  const more = f.moreKeys[slot];
  return more ? [k0, k1, k2, ...more] : [k0, k1, k2];
}

/** Lets a slot go, and its step when no other retained event has it. */
export function freeSlot(state: EngineState, slot: number) {
  const f = state.facts;
  const at = f.step[slot] as number;
  const step = state.steps.list[at] as Step;
  if (--step.count === 0) {
    const { steps } = state;
    steps.byKey.delete(stepKey(step));
    const near = steps.byChannel.get(step.channel);
    const i = near?.indexOf(at) ?? -1;
    if (near && i >= 0) {
      near.splice(i, 1);
      if (near.length === 0) steps.byChannel.delete(step.channel);
    }
    steps.list[at] = undefined;
    steps.free.push(at);
  }
  f.text[slot] = undefined;
  f.moreKeys[slot] = undefined;
  if (f.events) f.events[slot] = undefined;
  state.slotFlow[slot] = undefined;
  state.freeSlots.push(slot);
}

/** The typed columns of `SlotFacts`, grown together. */
const COLUMNS = [
  'seq',
  'ts',
  'step',
  'next',
  'wait',
  'idLen',
  'msgLen',
  'spanLen',
  'causeLen',
  'key0',
  'key1',
  'key2',
] as const;

function grow(f: SlotFacts) {
  const columns = f as Record<(typeof COLUMNS)[number], Float64Array | Int32Array>;
  for (const name of COLUMNS) {
    const a = columns[name];
    const b = new (a.constructor as new (n: number) => Float64Array | Int32Array)(a.length * 2);
    b.set(a);
    columns[name] = b;
  }
}

/** One string per step, field by field with their lengths (no two steps share one, whatever their text). */
const part = (text: string | undefined) => (text === undefined ? '-' : `${text.length}:${text}`);
const stepKey = (s: Pick<Step, 'source' | 'channel' | 'type' | 'producer' | 'deadLettered'>) =>
  `${part(s.source.broker)}${part(s.source.cluster)}${part(s.channel)}${part(s.type)}${part(s.producer)}${s.deadLettered ? 1 : 0}`;

/** The step's index in `steps.list`, added if new; counts one more event of it. */
function internStep(state: EngineState, e: Ingested, replay: boolean): number {
  const deadLettered = replay ? (e as EventFacts).deadLettered : isDeadLettered(e as FlowEvent);
  const { steps } = state;
  // The steps of the event's channel first, compared field by field: no key string per event.
  const near = steps.byChannel.get(e.channel);
  if (near) {
    for (const at of near) {
      const s = steps.list[at] as Step;
      if (
        s.type === e.type &&
        s.producer === e.producer &&
        s.deadLettered === deadLettered &&
        s.source.broker === e.source.broker &&
        s.source.cluster === e.source.cluster
      ) {
        s.count += 1;
        return at;
      }
    }
  }
  const probe = { source: e.source, channel: e.channel, type: e.type, producer: e.producer, deadLettered };
  const key = stepKey(probe);
  let at = steps.byKey.get(key);
  if (at === undefined) {
    at = steps.free.pop() ?? steps.list.length;
    steps.list[at] = { ...probe, prefix: `${e.source.broker}/${e.source.cluster}/${e.channel}/`, count: 0 };
    steps.byKey.set(key, at);
    if (!near) steps.byChannel.set(e.channel, [at]);
    else if (near.length < NEAR_STEPS) near.push(at);
  }
  (steps.list[at] as Step).count += 1;
  return at;
}

/** Steps per channel compared field by field before the key lookup (a channel of many types goes on by key). */
const NEAR_STEPS = 16;

/** The facts of a retained event as one object (for views and splits). */
export function factsAt(state: EngineState, slot: number): EventFacts {
  const f = state.facts;
  const step = state.steps.list[f.step[slot] as number] as Step;
  const message = idAt(state, slot, MESSAGE);
  const span = idAt(state, slot, SPAN);
  const cause = idAt(state, slot, CAUSE);
  const event = f.events?.[slot];
  return {
    id: idAt(state, slot, ID) as string,
    seq: f.seq[slot] as FlowEvent['seq'],
    timestamp: f.ts[slot] as FlowEvent['timestamp'],
    source: step.source,
    channel: step.channel,
    ...(step.type !== undefined ? { type: step.type } : {}),
    ...(step.producer !== undefined ? { producer: step.producer } : {}),
    deadLettered: step.deadLettered,
    correlation: {
      keys: keysOf(state, slot).map((n) => {
        const { name, value } = state.keyRecs[n] as KeyRec;
        return { name, value };
      }),
      ...(message !== undefined ? { messageId: message } : {}),
      ...(cause !== undefined ? { causationId: cause } : {}),
      ...(span !== undefined ? { spanId: span } : {}),
    },
    ...(event ? { event } : {}),
  };
}
