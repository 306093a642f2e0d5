import type { CorrelationKey } from '../model/correlationKey.js';
import type { Anomaly } from '../model/flow.js';
import { eventsOf, findRec, flowOfSlot, HOT_SEARCH_LIMIT, refSlot, rootOf } from './engine.js';
import type { EngineState, FlowAcc } from './engineState.js';
import { factsAt, type EventFacts } from './slots.js';
import { hashString } from './stringIndex.js';

/** What readers need of a flow, as plain data. */
export type FlowView = {
  readonly first: EventFacts;
  readonly lastTs: number;
  /** In arrival order. */
  readonly events: readonly EventFacts[];
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
  return { first: factsAt(state, flow.first), lastTs: flow.lastTs, events, keys, anomalies: flow.anomalies ?? [] };
}

/**
 * Every flow holding a key with this value (any name; for a hot value, the most recently active
 * ones), or the flow with this id, event id, message id or span id.
 */
export function lookupFlows(state: EngineState, value: string): FlowAcc[] {
  const found = new Set<FlowAcc>();
  const add = (f: FlowAcc | undefined) => f && found.add(f);
  const hash = hashString(value, state.seed);
  for (const name of state.keys.keys()) {
    const rec = findRec(state, name, value, hash);
    if (!rec) continue;
    if (!rec.hot) add(rootOf(rec.flow));
    else for (const f of (rec.recent ?? []).slice(-HOT_SEARCH_LIMIT)) add(rootOf(f));
  }
  // A flow id is the id of its first event, so event ids find flows too.
  add(flowOfSlot(state, refSlot(state, value)));
  return [...found];
}
