import {
  isDeadLettered,
  isFailure,
  stepOf,
  type Anomaly,
  type AnomalyKind,
  type CorrelationKey,
  type Flow,
  type FlowEvent,
  type Hop,
} from '@flowscope/shared';

/** How loudly a step is drawn: a dead letter or a failure in red, other anomalies in amber. */
export type StepSeverity = 'dead-letter' | 'failure' | 'warning' | null;

/** Anomaly kinds per event id, in the order the server listed them, without repeats. */
export function anomaliesByEvent(anomalies: readonly Anomaly[]): ReadonlyMap<string, readonly AnomalyKind[]> {
  const out = new Map<string, AnomalyKind[]>();
  for (const a of anomalies) {
    if (!a.eventId) continue;
    const list = out.get(a.eventId) ?? [];
    if (!list.includes(a.kind)) list.push(a.kind);
    out.set(a.eventId, list);
  }
  return out;
}

/** The event itself counts too: a dead-letter channel or a failure type is shown even unflagged. */
export function severityOf(event: FlowEvent, kinds: readonly AnomalyKind[] = []): StepSeverity {
  if (kinds.includes('dead-lettered') || isDeadLettered(event)) return 'dead-letter';
  if (kinds.includes('failure') || isFailure(event)) return 'failure';
  return kinds.length > 0 ? 'warning' : null;
}

/** The hop that leads into each event (every event but a flow's first has one). */
export function hopsByTarget(hops: readonly Hop[]): ReadonlyMap<string, Hop> {
  return new Map(hops.map((h) => [h.to, h]));
}

export const isDeadLetteredFlow = (flow: Pick<Flow, 'anomalyKinds'>) => flow.anomalyKinds.includes('dead-lettered');

export type Baseline = Readonly<{
  event: FlowEvent;
  index: number;
  /** Correlation keys both events carry. */
  shared: readonly CorrelationKey[];
  why: 'same-channel' | 'same-producer' | 'shared-key' | 'chosen';
}>;

const sharedKeys = (a: FlowEvent, b: FlowEvent) =>
  a.correlation.keys.filter((k) => b.correlation.keys.some((o) => o.name === k.name && o.value === k.value));

/**
 * The previous step of the same entity: an earlier event (flow order) sharing a correlation key
 * with `events[index]`. Nearly every step shares the order id, so the closest one on the same
 * channel wins (`order.confirmed` → `order.placed`), then one from the same producer, then the
 * closest of all.
 */
export function entityBaseline(events: readonly FlowEvent[], index: number): Baseline | null {
  const target = events[index];
  if (!target) return null;
  let byProducer: Baseline | null = null;
  let closest: Baseline | null = null;
  for (let i = index - 1; i >= 0; i--) {
    const e = events[i];
    if (!e) continue;
    const shared = sharedKeys(e, target);
    if (shared.length === 0) continue;
    if (e.channel === target.channel) return { event: e, index: i, shared, why: 'same-channel' };
    if (!byProducer && e.producer !== undefined && e.producer === target.producer)
      byProducer = { event: e, index: i, shared, why: 'same-producer' };
    closest ??= { event: e, index: i, shared, why: 'shared-key' };
  }
  return byProducer ?? closest;
}

/** An explicitly chosen earlier step to compare with. */
export function chosenBaseline(events: readonly FlowEvent[], index: number, id: string): Baseline | null {
  const target = events[index];
  const at = events.findIndex((e) => e.id === id);
  const e = events[at];
  if (!target || !e || at >= index) return null;
  return { event: e, index: at, shared: sharedKeys(e, target), why: 'chosen' };
}

type PathRowStatus = 'match' | 'missing' | 'repeat' | 'unexpected' | 'actual';

/** One line of "expected next to actual": a template step, an event, or both. */
export type PathRow = Readonly<{
  expected: Readonly<{ step: string; seen: boolean }> | null;
  event: FlowEvent | null;
  /** Position of `event` in flow order. */
  index: number | null;
  step: string;
  status: PathRowStatus;
}>;

/**
 * Lines the actual steps up against the expected path: each template step with the event that
 * matched it (or missing), repeats under their step, and steps outside the template right after
 * the step that came before them. Without a template, just the events.
 */
export function pathRows(events: readonly FlowEvent[], expected: Flow['expected']): PathRow[] {
  if (!expected || expected.length === 0)
    return events.map((e, index) => ({ expected: null, event: e, index, step: stepOf(e), status: 'actual' }));

  const slots = expected.map((x) => ({ x, matched: null as PathRow | null, after: [] as PathRow[] }));
  const before: PathRow[] = [];
  let lastSlot = -1;
  events.forEach((e, index) => {
    const step = stepOf(e);
    const free = slots.findIndex((s) => s.x.step === step && s.matched === null);
    if (free >= 0) {
      const slot = slots[free] as (typeof slots)[number];
      slot.matched = { expected: slot.x, event: e, index, step, status: 'match' };
      lastSlot = free;
      return;
    }
    const known = slots.findIndex((s) => s.x.step === step);
    const row: PathRow = { expected: null, event: e, index, step, status: known >= 0 ? 'repeat' : 'unexpected' };
    const home = known >= 0 ? known : lastSlot;
    if (known >= 0) lastSlot = known;
    if (home < 0) before.push(row);
    else (slots[home] as (typeof slots)[number]).after.push(row);
  });

  const rows: PathRow[] = [...before];
  for (const s of slots) {
    rows.push(s.matched ?? { expected: s.x, event: null, index: null, step: s.x.step, status: 'missing' });
    rows.push(...s.after);
  }
  return rows;
}
