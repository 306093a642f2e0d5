import type { Flow, FlowSummary } from '../model/flow.js';
import type { FlowEvent } from '../model/flowEvent.js';
import type { FlowTemplate } from '../model/flowTemplate.js';
import {
  describeFlow,
  judgeFlow,
  kindOf,
  orderFlow,
  summarizeFlow,
  type JudgeOptions,
  type Ordered,
} from './describe.js';
import { isFailure } from './anomalies.js';
import { createEngine, evictIdle, flowOfEvent, idOfFlow, ingestEvent, trimTo } from './engine.js';
import type { EngineState, EngineStats } from './engineState.js';
import { firstFlows } from './firstFlows.js';
import { lookupFlows, viewFlow, type FlowView } from './flowViews.js';
import type { EventFacts } from './slots.js';
import { createTemplateAcc, learnFlow, templateOf, type TemplateAcc } from './templates.js';

export type CorrelatorOptions = JudgeOptions & {
  /** Flows idle longer than this are evicted. */
  readonly retentionMs: number;
  /** At most this many events are retained; the least recently active flows go first. */
  readonly maxEvents: number;
  /**
   * A key value carried by more than this many retained events (a tenant, a customer, a
   * constant) is hot: it stops joining flows, and the flow it had joined is split as if it never
   * had. A search for it lists the most recently active flows that carry it.
   */
  readonly hotKeyEvents: number;
  /** Seeds the hash of the engine's indexes. The server passes a random one (see `StringIndex`). */
  readonly hashSeed: number;
  /**
   * Reads retained events back whole (by their facts: id and seq), in the order given; undefined
   * for one no longer held anywhere. When given, the engine keeps only what joining and judging
   * flows needs of each event (ADR 0025), and a flow shown whole reads its events through this.
   */
  readonly resolveEvents?: (facts: readonly EventFacts[]) => readonly (FlowEvent | undefined)[];
  /**
   * Told of each flow once, when it settles (failed or not): its events in order and what the
   * engine noted of it (duplicates). The insights learn from it (ADR 0027).
   */
  readonly onSettle?: (ordered: Ordered, flow: FlowView) => void;
};

export const defaultCorrelatorOptions: CorrelatorOptions = {
  settleMs: 15_000,
  stuckFactor: 3,
  minTemplateSamples: 5,
  retentionMs: 60 * 60_000,
  maxEvents: 500_000,
  hotKeyEvents: 1000,
  hashSeed: 0,
};

/** Engine plus learned templates: everything needed to answer "what happened to this order?". */
export type Correlator = {
  readonly engine: EngineState;
  readonly templates: Map<string, TemplateAcc>;
  readonly options: CorrelatorOptions;
  /**
   * The events retained at most, as the last tick set it (`maxEvents`, or less when memory is
   * short). Ingest keeps to it between ticks too (see `correlate`).
   */
  limit: number;
};

export function createCorrelator(options: Partial<CorrelatorOptions> = {}): Correlator {
  const o = { ...defaultCorrelatorOptions, ...options };
  return {
    engine: createEngine({
      hotKeyEvents: o.hotKeyEvents,
      expectedEvents: o.maxEvents,
      seed: o.hashSeed,
      keepEvents: o.resolveEvents === undefined,
    }),
    templates: new Map(),
    options: o,
    limit: o.maxEvents,
  };
}

/**
 * Adds an event; returns the id of the flow it now belongs to. Past the limit by a few percent,
 * the least recently active flows go at once, a few hundred events at a time: left to the next
 * tick, a second of a fast stream was evicted in one go (40-120 ms of the main thread) and lived
 * long enough on the heap to be promoted first.
 */
export function correlate(c: Correlator, event: FlowEvent): string {
  const id = idOfFlow(c.engine, ingestEvent(c.engine, event));
  if (c.engine.stats.events > c.limit + Math.max(64, c.limit >> 5)) trimTo(c.engine, c.limit);
  return id;
}

/**
 * Time passes: settled flows teach their kind's template, idle flows are evicted, and the least
 * recently active beyond `maxEvents` (the configured count, or less when memory is short).
 */
export function tick(c: Correlator, now: number, maxEvents = c.options.maxEvents) {
  for (const flow of c.engine.flows.values()) {
    if (flow.learned || now - flow.lastTs <= c.options.settleMs) continue;
    flow.learned = true;
    const view = viewFlow(c.engine, flow);
    const ordered = orderFlow(view);
    const last = ordered.events[ordered.events.length - 1];
    const kind = kindOf(ordered);
    c.options.onSettle?.(ordered, view);
    let acc = c.templates.get(kind);
    if (!acc) c.templates.set(kind, (acc = createTemplateAcc(kind)));
    acc.settled += 1;
    // Judged against what was learned before it: the same view a person had of it.
    if (judgeFlow(view, c.templates, now, c.options, ordered).anomalies.length > 0) acc.anomalous += 1;
    if (ordered.events.some((e) => e.deadLettered) || (last && isFailure(last))) {
      acc.failed += 1;
      continue;
    }
    learnFlow(acc, ordered.events, new Map(ordered.hops.map((h) => [h.to, h.latencyMs])));
  }
  c.limit = Math.min(maxEvents, c.options.maxEvents);
  evictIdle(c.engine, now, c.options.retentionMs, c.limit);
}

export function getFlow(c: Correlator, id: string, now: number): Flow | undefined {
  const flow = flowOfEvent(c.engine, id);
  return flow
    ? describeFlow(viewFlow(c.engine, flow), c.templates, now, c.options, (f) => wholeEvents(c, f))
    : undefined;
}

/**
 * The events whole: kept by the engine, else read back (`resolveEvents`). One held nowhere any
 * more (past the store's retention, or lost to a failed write) is shown from what the engine
 * knows of it, its payload marked as unavailable rather than left out of its flow.
 */
function wholeEvents(c: Correlator, facts: readonly EventFacts[]): FlowEvent[] {
  const out = facts.map((f) => f.event);
  const missing = facts.filter((f) => f.event === undefined);
  const found = missing.length > 0 ? (c.options.resolveEvents?.(missing) ?? []) : [];
  let m = 0;
  return out.map((e, i) => {
    if (e) return e;
    const f = facts[i] as EventFacts;
    return found[m++] ?? standIn(f);
  });
}

function standIn(f: EventFacts): FlowEvent {
  const { event: _e, deadLettered: _d, ...known } = f;
  return {
    ...known,
    receivedAt: f.timestamp,
    headers: {},
    correlation: { ...f.correlation, keys: [...f.correlation.keys] },
    payload: {
      encoding: 'empty',
      value: '',
      size: 0,
      truncated: true,
      sha256: '',
      note: "This event is no longer stored (past the store's retention, or a write failed): only its ids, time, channel, type and producer are known.",
    },
  };
}

/** Flows by any correlation value, flow id, event id or message id; newest first. */
export function searchFlows(c: Correlator, value: string, now: number): FlowSummary[] {
  return lookupFlows(c.engine, value)
    .map((f) => summarizeFlow(viewFlow(c.engine, f), c.templates, now, c.options))
    .sort((a, b) => b.end - a.end);
}

/**
 * The retained flow holding this event (or with this id), judged at `now` without reading its
 * events back: its current id and summary (status, anomalies), or undefined.
 */
export function judgeFlowOf(
  c: Correlator,
  id: string,
  now: number,
): { flowId: string; summary: FlowSummary } | undefined {
  const flow = flowOfEvent(c.engine, id);
  if (!flow) return undefined;
  return {
    flowId: idOfFlow(c.engine, flow),
    summary: summarizeFlow(viewFlow(c.engine, flow), c.templates, now, c.options),
  };
}

/** The most recently active flows. */
export function recentFlows(c: Correlator, limit: number, now: number): FlowSummary[] {
  return firstFlows(c.engine.flows.values(), limit, (a, b) => a.lastTs > b.lastTs).map((f) =>
    summarizeFlow(viewFlow(c.engine, f), c.templates, now, c.options),
  );
}

export function catalog(c: Correlator): FlowTemplate[] {
  return [...c.templates.values()]
    .map(templateOf)
    .sort((a, b) => b.samples - a.samples || a.kind.localeCompare(b.kind));
}

export function correlatorStats(c: Correlator): EngineStats & { templates: number } {
  return { ...c.engine.stats, templates: c.templates.size };
}

/** The current id of the flow holding this event (flow ids are event ids), if retained. */
export function flowIdOf(c: Correlator, eventId: string): string | undefined {
  const flow = flowOfEvent(c.engine, eventId);
  return flow ? idOfFlow(c.engine, flow) : undefined;
}

/**
 * A throw-away correlator over a given set of events that judges with `like`'s templates and
 * options: how flows rebuilt from history are described the same way as live ones.
 */
export function correlatorFor(events: readonly FlowEvent[], like: Correlator): Correlator {
  const c: Correlator = {
    engine: createEngine({ hotKeyEvents: like.options.hotKeyEvents, seed: like.options.hashSeed }),
    templates: like.templates,
    // It settles nothing into what `like` reports (the insights).
    options: { ...like.options, onSettle: undefined, maxEvents: Number.MAX_SAFE_INTEGER },
    limit: Number.MAX_SAFE_INTEGER,
  };
  for (const e of events) correlate(c, e);
  return c;
}
