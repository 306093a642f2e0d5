import type { FlowEvent } from '@flowscope/shared';
import { DIFF_MAX_DEPTH, diffJson, jsonText, TOO_DEEP, type DiffEntry } from './payloadDiff';

/** A field an event set back to a value the entity had already left: it carries an older state. */
type StaleField = Readonly<{
  path: string;
  /** The event whose value it undoes, and how long after that event this one came. */
  supersededBy: string;
  behindMs: number;
}>;

export type EntityStep = Readonly<{
  event: FlowEvent;
  /** The entity's state after this step: every JSON object payload so far, later fields over earlier. */
  state: Readonly<Record<string, unknown>>;
  /** What this step changed in the state. */
  changes: readonly DiffEntry[];
  /** Why this step's payload is not part of the state, when it is not. */
  skipped?: string;
  /** Fields set back to a superseded value: a read model (or a replay) behind the entity's events. */
  stale: readonly StaleField[];
}>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Later fields over earlier ones; objects merge field by field (to DIFF_MAX_DEPTH levels, below
 * which the later value replaces the earlier whole), anything else is replaced.
 */
function merge(state: Json, next: Json, depth = 0): Json {
  const out: Json = { ...state };
  for (const [k, v] of Object.entries(next)) {
    const before = out[k];
    out[k] = isObject(before) && isObject(v) && depth < DIFF_MAX_DEPTH ? merge(before, v, depth + 1) : v;
  }
  return out;
}

function objectOf(e: FlowEvent): { ok: true; value: Json } | { ok: false; why: string } {
  if (e.payload.encoding !== 'json') return { ok: false, why: `its payload is ${e.payload.encoding}, not JSON` };
  if (e.payload.truncated) return { ok: false, why: 'its payload was truncated' };
  try {
    const value: unknown = JSON.parse(e.payload.value);
    return isObject(value) ? { ok: true, value } : { ok: false, why: 'its payload is not a JSON object' };
  } catch {
    return { ok: false, why: 'its payload does not parse as JSON' };
  }
}

/**
 * An entity's events folded step by step into its state (event-carried state transfer): each
 * step's state, what it changed, and the fields it set back to a value the entity had already
 * left (the mark of a projection or read model behind the entity's events).
 */
export function foldEntity(events: readonly FlowEvent[]): EntityStep[] {
  let state: Json = {};
  /** Per field path: the values it took, in order, with the event that set each. */
  const history = new Map<string, { value: string; eventId: string; at: number }[]>();
  return events.map((event) => {
    const parsed = objectOf(event);
    if (!parsed.ok) return { event, state, changes: [], skipped: parsed.why, stale: [] };
    const next = merge(state, parsed.value);
    const { entries } = diffJson(state, next);
    const stale: StaleField[] = [];
    for (const c of entries) {
      // A value nested too deeply to write out is never taken for an earlier one.
      const value = jsonText(c.after) ?? `${TOO_DEEP} ${event.id}`;
      const seen = history.get(c.path) ?? [];
      const earlier = seen.findIndex((h) => h.value === value);
      const replacedBy = earlier >= 0 ? seen[earlier + 1] : undefined;
      if (replacedBy)
        stale.push({ path: c.path, supersededBy: replacedBy.eventId, behindMs: event.timestamp - replacedBy.at });
      history.set(c.path, [...seen, { value, eventId: event.id, at: event.timestamp }]);
    }
    state = next;
    return { event, state, changes: entries, stale };
  });
}
