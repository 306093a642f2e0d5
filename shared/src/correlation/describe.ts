import { stepOf, type Anomaly, type Flow, type FlowStatus, type FlowSummary, type Hop } from '../model/flow.js';
import { causeRefs } from './refs.js';
import type { FlowEvent } from '../model/flowEvent.js';
import { isFailure } from './anomalies.js';
import type { EventFacts } from './slots.js';
import type { FlowView } from './flowViews.js';
import { isExpectedStep, templateOf, type TemplateAcc } from './templates.js';

export type JudgeOptions = {
  /** A flow idle this long is settled: missing steps count, and it can teach its template. */
  readonly settleMs: number;
  /** Stuck when idle longer than this many times its kind's p99 duration. */
  readonly stuckFactor: number;
  /** Templates with fewer samples are not used to judge flows. */
  readonly minTemplateSamples: number;
};

const byTime = (a: EventFacts, b: EventFacts) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export type Ordered = {
  readonly events: readonly EventFacts[];
  readonly hops: readonly Hop[];
  /** Event id → its causing event in this flow, when known. */
  readonly parents: ReadonlyMap<string, EventFacts>;
};

/**
 * Orders a flow's events: causes before their effects, otherwise by time then id. The result
 * depends only on the set of events, never on the order they arrived in.
 */
export function orderFlow(flow: Pick<FlowView, 'events'>): Ordered {
  const byTs = [...flow.events].sort(byTime);
  const owner = new Map<string, EventFacts>();
  for (const e of byTs) {
    for (const ref of causeRefs(e)) if (!owner.has(ref)) owner.set(ref, e);
  }
  const parents = new Map<string, EventFacts>();
  const children = new Map<string, EventFacts[]>();
  for (const e of byTs) {
    const p = e.correlation.causationId ? owner.get(e.correlation.causationId) : undefined;
    if (!p || p === e) continue;
    parents.set(e.id, p);
    const list = children.get(p.id) ?? [];
    list.push(e);
    children.set(p.id, list);
  }
  const ordered: EventFacts[] = [];
  const seen = new Set<string>();
  const visit = (e: EventFacts) => {
    const stack = [e];
    while (stack.length > 0) {
      const cur = stack.pop() as EventFacts;
      if (seen.has(cur.id)) continue;
      seen.add(cur.id);
      ordered.push(cur);
      const kids = children.get(cur.id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as EventFacts);
    }
  };
  for (const e of byTs) if (!parents.has(e.id)) visit(e);
  for (const e of byTs) visit(e); // cycles (a names b, b names a): keep every event anyway

  const hops: Hop[] = [];
  ordered.forEach((e, i) => {
    const parent = parents.get(e.id);
    const from = parent ?? (i > 0 ? ordered[i - 1] : undefined);
    if (!from) return;
    hops.push({
      from: from.id,
      to: e.id,
      latencyMs: e.timestamp - from.timestamp,
      ...(e.producer ? { service: e.producer } : {}),
      inferred: !parent,
    });
  });
  return { events: ordered, hops, parents };
}

export const kindOf = (ordered: Ordered): string => {
  const first = ordered.events[0];
  return first?.type ?? first?.channel ?? 'unknown';
};

/** Anomalies each event shows by itself: dead-lettered, a failure, stamped before its cause. */
function eventAnomalies(ordered: Ordered, deadLettered: readonly EventFacts[]): Anomaly[] {
  const anomalies: Anomaly[] = deadLettered.map((e) => ({
    kind: 'dead-lettered',
    eventId: e.id,
    message: `${stepOf(e)} was dead-lettered.`,
  }));
  for (const e of ordered.events) {
    if (isFailure(e))
      anomalies.push({
        kind: 'failure',
        eventId: e.id,
        message: `${e.type} reported by ${e.producer ?? 'an unknown producer'}.`,
      });
    const p = ordered.parents.get(e.id);
    if (p && p.timestamp > e.timestamp) {
      anomalies.push({
        kind: 'out-of-order',
        eventId: e.id,
        message: `${stepOf(e)} is stamped ${p.timestamp - e.timestamp} ms before its cause ${stepOf(p)}.`,
      });
    }
  }
  return anomalies;
}

/** A flow judged at `now` against its kind's template: its summary, order, anomalies and expected steps. */
type Judged = {
  readonly summary: FlowSummary;
  readonly ordered: Ordered;
  readonly anomalies: Anomaly[];
  readonly expected: Flow['expected'];
};

/**
 * Full picture of one flow at `now`, judged against its kind's template. `events` gives the
 * events whole, in the order asked (the engine keeps only their facts: see `EventFacts`).
 */
export function describeFlow(
  flow: FlowView,
  templates: ReadonlyMap<string, TemplateAcc>,
  now: number,
  o: JudgeOptions,
  events: (facts: readonly EventFacts[]) => FlowEvent[],
): Flow {
  const { summary, ordered, anomalies, expected } = judgeFlow(flow, templates, now, o);
  return {
    ...summary,
    events: events(ordered.events),
    hops: [...ordered.hops],
    anomalies,
    ...(expected ? { expected } : {}),
  };
}

/** `ordered`: the flow's events in order, when the caller has them already (`orderFlow`). */
export function judgeFlow(
  flow: FlowView,
  templates: ReadonlyMap<string, TemplateAcc>,
  now: number,
  o: JudgeOptions,
  ordered: Ordered = orderFlow(flow),
): Judged {
  const kind = kindOf(ordered);
  const acc = templates.get(kind);
  const template = acc && acc.samples >= o.minTemplateSamples ? templateOf(acc) : undefined;
  const events = ordered.events;
  const steps = events.map(stepOf);
  const present = new Set(steps);
  const anomalies: Anomaly[] = [...flow.anomalies];

  const deadLettered = events.filter((e) => e.deadLettered);
  anomalies.push(...eventAnomalies(ordered, deadLettered));

  const last = events[events.length - 1];
  const idle = now - flow.lastTs;
  let status: FlowStatus = 'open';
  if (deadLettered.length > 0 || (last && isFailure(last))) status = 'failed';
  else if (template && template.steps.length > 0 && present.has(template.steps[template.steps.length - 1]?.step ?? ''))
    status = 'completed';
  else if (template && idle > o.stuckFactor * Math.max(template.p99DurationMs, 1000)) status = 'stuck';

  if (template && acc) {
    const index = new Map(template.steps.map((s, i) => [s.step, i]));
    let maxSeen = -1;
    for (const e of events) {
      const step = stepOf(e);
      const i = index.get(step);
      if (i !== undefined) {
        if (i < maxSeen)
          anomalies.push({
            kind: 'out-of-order',
            eventId: e.id,
            step,
            message: `${step} came after a step that usually follows it.`,
          });
        maxSeen = Math.max(maxSeen, i);
      } else if (!isExpectedStep(acc, step)) {
        anomalies.push({
          kind: 'unexpected-step',
          eventId: e.id,
          step,
          message: `${step} is not part of the usual ${kind} path.`,
        });
      }
    }
    if (status !== 'failed' && idle > o.settleMs) {
      for (const s of template.steps) {
        if (!present.has(s.step))
          anomalies.push({ kind: 'missing-step', step: s.step, message: `Expected step ${s.step} never happened.` });
      }
    }
    if (status === 'stuck')
      anomalies.push({
        kind: 'stuck',
        message: `No progress for ${Math.round(idle / 1000)} s; ${kind} flows usually finish within ${Math.round(template.p99DurationMs)} ms.`,
      });
  }

  return {
    summary: summarize(flow, ordered, kind, status, anomalies),
    ordered,
    anomalies,
    expected: template?.steps.map((s) => ({ step: s.step, seen: present.has(s.step) })),
  };
}

function summarize(
  flow: FlowView,
  ordered: Ordered,
  kind: string,
  status: FlowStatus,
  anomalies: readonly Anomaly[],
): FlowSummary {
  const events = ordered.events;
  const start = Math.min(...events.map((e) => e.timestamp));
  const end = Math.max(...events.map((e) => e.timestamp));
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];
  return {
    id: flow.first.id,
    kind,
    status,
    start,
    end,
    durationMs: end - start,
    eventCount: events.length,
    keys: [...flow.keys].sort((a, b) => a.name.localeCompare(b.name) || a.value.localeCompare(b.value)),
    services: uniq(events.map((e) => e.producer)),
    channels: uniq(events.map((e) => e.channel)),
    anomalyCount: anomalies.length,
    anomalyKinds: [...new Set(anomalies.map((a) => a.kind))].sort(),
  };
}

/** The summary only (for lists); same judgement as `describeFlow`. */
export function summarizeFlow(
  flow: FlowView,
  templates: ReadonlyMap<string, TemplateAcc>,
  now: number,
  o: JudgeOptions,
): FlowSummary {
  return judgeFlow(flow, templates, now, o).summary;
}
