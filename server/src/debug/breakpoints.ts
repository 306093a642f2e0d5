import {
  compileFilter,
  createFilterInput,
  isDeadLettered,
  isFailure,
  judgeFlowOf,
  recentFlows,
  MAX_BREAKPOINTS,
  type Breakpoint,
  type BreakpointHit,
  type BreakpointInput,
  type BreakpointPatch,
  type CompiledFilter,
  type Correlator,
  type FilterInput,
  type FlowCondition,
  type FlowEvent,
  type FlowStatus,
} from '@flowscope/shared';

/**
 * Steps a breakpoint's filter may take per event. Breakpoints run on every live event on the
 * main thread, so their budget is far below a query's: a filter past it does not match.
 */
const BREAKPOINT_STEPS = 10_000;
/** Flows remembered for flow conditions (what each was last judged); the least recently touched go first. */
const KNOWN_FLOWS = 20_000;
/** Open flows judged again per check for becoming stuck (they get stuck while nothing happens to them). */
const STUCK_CHECKS = 500;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Entry = { readonly bp: Mutable<Breakpoint>; readonly filter?: CompiledFilter };
/** A flow's newest event since the last check, and the first failure (or dead letter) among them. */
type Touched = { seq: number; eventId: string; failure?: { seq: number; eventId: string } };
/** A flow's last event and what it was last judged. */
type Known = { seq: number; eventId: string; status: FlowStatus; anomalies: number };

export type AddBreakpointResult =
  | { readonly ok: true; readonly breakpoint: Breakpoint }
  | { readonly ok: false; readonly error: 'bad-expression' | 'too-many'; readonly message: string };

/**
 * Breakpoints over live traffic (issue 15): filter expressions tested against each accepted event,
 * and flow conditions judged once a second over the flows that changed (and, round robin, over
 * open flows that may have become stuck). A hit is told to listeners (the live stream, which pauses
 * every view at it); nothing here pauses ingest or the brokers.
 */
export class Breakpoints {
  private readonly entries = new Map<string, Entry>();
  private nextId = 0;
  private readonly hitListeners = new Set<(hit: BreakpointHit) => void>();
  private readonly changeListeners = new Set<() => void>();
  /** Flows that gained an event since the last check, with that event. */
  private touched = new Map<string, Touched>();
  private readonly known = new Map<string, Known>();
  /** Whether `known` was seeded with the recent flows since conditions are watched. */
  private seeded = false;

  constructor(private readonly correlator: () => Correlator) {}

  list(): Breakpoint[] {
    return [...this.entries.values()].map((e) => ({ ...e.bp }));
  }

  add(input: BreakpointInput, now: number): AddBreakpointResult {
    if (this.entries.size >= MAX_BREAKPOINTS)
      return {
        ok: false,
        error: 'too-many',
        message: `At most ${MAX_BREAKPOINTS} breakpoints can be set; remove one first.`,
      };
    let filter: CompiledFilter | undefined;
    if (input.expression !== undefined) {
      const compiled = compileFilter(input.expression, { maxSteps: BREAKPOINT_STEPS });
      if (!compiled.ok) return { ok: false, error: 'bad-expression', message: compiled.error.message };
      filter = compiled.filter;
    }
    const bp: Mutable<Breakpoint> = {
      id: `bp-${++this.nextId}`,
      ...(input.expression !== undefined ? { expression: input.expression } : {}),
      ...(input.condition ? { condition: input.condition } : {}),
      ...(input.label ? { label: input.label } : {}),
      enabled: input.enabled ?? true,
      hits: 0,
      createdAt: now,
    };
    this.entries.set(bp.id, { bp, ...(filter ? { filter } : {}) });
    if (bp.condition && bp.enabled) this.seed(now);
    this.changed();
    return { ok: true, breakpoint: { ...bp } };
  }

  update(id: string, patch: BreakpointPatch): Breakpoint | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (patch.enabled !== undefined) entry.bp.enabled = patch.enabled;
    if (entry.bp.condition && patch.enabled) this.seed(Date.now());
    if (patch.label !== undefined) {
      if (patch.label) entry.bp.label = patch.label;
      else delete entry.bp.label;
    }
    this.changed();
    return { ...entry.bp };
  }

  remove(id: string): boolean {
    const removed = this.entries.delete(id);
    if (removed) this.changed();
    return removed;
  }

  onHit(listener: (hit: BreakpointHit) => void): () => void {
    this.hitListeners.add(listener);
    return () => this.hitListeners.delete(listener);
  }

  /** Told when breakpoints are added, changed or removed (not on hits: see `onHit`). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** An accepted event (ingest's listener): expression breakpoints are tested against it. */
  observe(event: FlowEvent, flowId: string, json: unknown): void {
    if (this.entries.size === 0) return;
    let input: FilterInput | undefined;
    let conditions = false;
    for (const entry of this.entries.values()) {
      if (!entry.bp.enabled) continue;
      if (!entry.filter) {
        conditions = true;
        continue;
      }
      input ??= createFilterInput(event, json);
      if (entry.filter.test(input))
        this.fire(entry, { seq: event.seq, eventId: event.id, flowId, reason: `matched ${entry.filter.source}` });
    }
    if (conditions) {
      // A flow that fails is stopped at the failure, not at what came after it within the second.
      const failure =
        this.touched.get(flowId)?.failure ??
        (isFailure(event) || isDeadLettered(event) ? { seq: event.seq, eventId: event.id } : undefined);
      this.touched.set(flowId, { seq: event.seq, eventId: event.id, ...(failure ? { failure } : {}) });
    }
  }

  /**
   * Judges the flows that changed since the last check, and some open ones for being stuck; fires
   * the flow-condition breakpoints for each flow that failed, became stuck or shows a new anomaly.
   */
  checkFlows(now: number): void {
    const touched = this.touched;
    this.touched = new Map();
    const watching = [...this.entries.values()].filter((e) => e.bp.enabled && e.bp.condition);
    if (watching.length === 0) {
      this.known.clear();
      this.seeded = false;
      return;
    }
    const c = this.correlator();
    for (const [flowId, last] of touched) this.judge(c, flowId, last, now, watching);
    // Open flows get stuck while nothing happens to them: a few each check, oldest looked at first.
    let checked = 0;
    for (const [flowId, k] of [...this.known]) {
      if (checked >= STUCK_CHECKS) break;
      if (k.status !== 'open' || touched.has(flowId)) continue;
      checked += 1;
      this.judge(c, flowId, k, now, watching);
    }
  }

  /**
   * When flow conditions start being watched: the most recently active flows as they are now, so a
   * flow that already failed does not fire, and an open one that goes quiet is seen to get stuck.
   */
  private seed(now: number): void {
    if (this.seeded) return;
    this.seeded = true;
    for (const summary of recentFlows(this.correlator(), STUCK_CHECKS, now))
      this.known.set(summary.id, {
        seq: 0,
        eventId: summary.id,
        status: summary.status,
        anomalies: summary.anomalyCount,
      });
  }

  private judge(c: Correlator, id: string, last: Touched, now: number, watching: readonly Entry[]): void {
    const judged = judgeFlowOf(c, id, now);
    const before = this.known.get(id);
    this.known.delete(id);
    if (!judged) return;
    const { flowId, summary } = judged;
    const previous = this.known.get(flowId) ?? before;
    this.known.delete(flowId);
    const was = previous ?? { status: 'open', anomalies: 0 };
    this.known.set(flowId, {
      seq: last.seq,
      eventId: last.eventId,
      status: summary.status,
      anomalies: summary.anomalyCount,
    });
    while (this.known.size > KNOWN_FLOWS) this.known.delete(this.known.keys().next().value as string);
    const happened: Partial<Record<FlowCondition, string>> = {};
    if (summary.status === 'failed' && was.status !== 'failed') happened.failed = `a ${summary.kind} flow failed`;
    if (summary.status === 'stuck' && was.status !== 'stuck')
      happened.stuck = `a ${summary.kind} flow is stuck (no progress for ${Math.round((now - summary.end) / 1000)} s)`;
    if (summary.anomalyCount > was.anomalies)
      happened.anomaly = `a ${summary.kind} flow shows an anomaly (${summary.anomalyKinds.join(', ')})`;
    for (const entry of watching) {
      const condition = entry.bp.condition;
      const reason = condition && happened[condition];
      const at = condition === 'failed' && last.failure ? last.failure : last;
      if (reason) this.fire(entry, { seq: at.seq, eventId: at.eventId, flowId, reason });
    }
  }

  private fire(entry: Entry, where: Omit<BreakpointHit, 'breakpointId' | 'at'>): void {
    const hit: BreakpointHit = { breakpointId: entry.bp.id, at: Date.now(), ...where };
    entry.bp.hits += 1;
    entry.bp.lastHit = hit;
    for (const listener of this.hitListeners) listener(hit);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
