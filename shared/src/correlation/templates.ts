import { stepOf } from '../model/flow.js';
import type { FlowTemplate, TemplateStep } from '../model/flowTemplate.js';
import type { FlowEvent } from '../model/flowEvent.js';

/** Per-kind learning state. Samples are bounded (newest kept) so memory does not grow with traffic. */
export type TemplateAcc = {
  readonly kind: string;
  samples: number;
  /** Step sequence (joined) → how many learned flows followed it. */
  readonly sequences: Map<string, number>;
  /** Step → how many learned flows contained it. */
  readonly stepCounts: Map<string, number>;
  /** Step → recent latencies from the previous step (ms). */
  readonly latencies: Map<string, number[]>;
  readonly durations: number[];
  /** When each of `durations`' flows ended (its last event's time), for the window over time. */
  readonly endedAt: number[];
  /** Every settled flow of the kind, and how many failed or had anomalies. */
  settled: number;
  failed: number;
  anomalous: number;
  /** Recent learned flows as (id, duration), for a typical example; and the slowest one. */
  readonly examples: { id: string; durationMs: number }[];
  slowest?: { id: string; durationMs: number };
  /** Percentiles as of `samples` = `at` (see `percentilesOf`). */
  cached?: { readonly at: number; readonly value: Percentiles };
};

/** The costly part of a template: percentiles, each a sort of up to SAMPLE_LIMIT samples. */
type Percentiles = {
  readonly steps: ReadonlyMap<string, { readonly p50Ms: number; readonly p99Ms: number }>;
  readonly p50DurationMs: number;
  readonly p99DurationMs: number;
  readonly typical?: { readonly id: string; readonly durationMs: number };
};

const SAMPLE_LIMIT = 1000;
const SEP = '\u0001';

export const createTemplateAcc = (kind: string): TemplateAcc => ({
  kind,
  samples: 0,
  sequences: new Map(),
  stepCounts: new Map(),
  latencies: new Map(),
  durations: [],
  endedAt: [],
  settled: 0,
  failed: 0,
  anomalous: 0,
  examples: [],
});

function pushBounded(list: number[], value: number) {
  list.push(value);
  if (list.length > SAMPLE_LIMIT) list.splice(0, list.length - SAMPLE_LIMIT);
}

/** Learns from one settled flow's ordered steps and their incoming latencies. */
export function learnFlow(
  acc: TemplateAcc,
  ordered: readonly Pick<FlowEvent, 'id' | 'timestamp' | 'type' | 'channel'>[],
  latencyInto: ReadonlyMap<string, number>,
) {
  const steps = ordered.map(stepOf);
  acc.samples += 1;
  const seq = steps.join(SEP);
  acc.sequences.set(seq, (acc.sequences.get(seq) ?? 0) + 1);
  for (const step of new Set(steps)) acc.stepCounts.set(step, (acc.stepCounts.get(step) ?? 0) + 1);
  for (const e of ordered) {
    const latency = latencyInto.get(e.id);
    if (latency === undefined) continue;
    const step = stepOf(e);
    let list = acc.latencies.get(step);
    if (!list) acc.latencies.set(step, (list = []));
    pushBounded(list, latency);
  }
  const first = ordered[0];
  if (first) {
    // From the first event to the last reaction, wherever the flow fanned out (not the last in order).
    let start: number = first.timestamp;
    let end: number = first.timestamp;
    for (const e of ordered) {
      start = Math.min(start, e.timestamp);
      end = Math.max(end, e.timestamp);
    }
    const durationMs = end - start;
    pushBounded(acc.durations, durationMs);
    pushBounded(acc.endedAt, end);
    acc.examples.push({ id: first.id, durationMs });
    if (acc.examples.length > SAMPLE_LIMIT) acc.examples.splice(0, acc.examples.length - SAMPLE_LIMIT);
    if (!acc.slowest || durationMs > acc.slowest.durationMs) acc.slowest = { id: first.id, durationMs };
  }
}

/** Nearest-rank percentile; 0 for no data. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** The canonical path: the most frequent step sequence (ties broken by the sequence text). */
export function templateOf(acc: TemplateAcc): FlowTemplate {
  let best = '';
  let bestCount = -1;
  for (const [seq, count] of acc.sequences) {
    if (count > bestCount || (count === bestCount && seq < best)) {
      best = seq;
      bestCount = count;
    }
  }
  const { steps: latencies, p50DurationMs, p99DurationMs, typical } = percentilesOf(acc);
  const steps: TemplateStep[] = (best === '' ? [] : best.split(SEP)).map((step) => ({
    step,
    count: acc.stepCounts.get(step) ?? 0,
    p50Ms: latencies.get(step)?.p50Ms ?? 0,
    p99Ms: latencies.get(step)?.p99Ms ?? 0,
  }));
  return {
    kind: acc.kind,
    steps,
    samples: acc.samples,
    canonicalCount: Math.max(0, bestCount),
    p50DurationMs,
    p99DurationMs,
    settled: acc.settled,
    failed: acc.failed,
    anomalous: acc.anomalous,
    ...(typical ? { typicalFlowId: typical.id } : {}),
    ...(acc.slowest ? { slowestFlowId: acc.slowest.id } : {}),
  };
}

/**
 * Percentiles of the kind's latencies and durations. Every settled flow is judged against its
 * template, and sorting the samples each time was most of the main thread's work at a few
 * thousand flows a second: they are computed again exactly while there are few samples, then
 * once every 1 % more (over the newest SAMPLE_LIMIT samples, they move slowly).
 */
function percentilesOf(acc: TemplateAcc): Percentiles {
  const cached = acc.cached;
  if (cached && acc.samples - cached.at < Math.max(1, Math.floor(cached.at / 100))) return cached.value;
  const steps = new Map<string, { p50Ms: number; p99Ms: number }>();
  for (const [step, lat] of acc.latencies) steps.set(step, { p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99) });
  const p50 = percentile(acc.durations, 50);
  let typical: { id: string; durationMs: number } | undefined;
  for (const e of acc.examples)
    if (!typical || Math.abs(e.durationMs - p50) < Math.abs(typical.durationMs - p50)) typical = e;
  const value: Percentiles = {
    steps,
    p50DurationMs: p50,
    p99DurationMs: percentile(acc.durations, 99),
    ...(typical ? { typical } : {}),
  };
  acc.cached = { at: acc.samples, value };
  return value;
}

/** A step seen in fewer than this share of learned flows of its kind is unexpected. */
const UNEXPECTED_SHARE = 0.05;

export function isExpectedStep(acc: TemplateAcc, step: string): boolean {
  return (acc.stepCounts.get(step) ?? 0) / Math.max(1, acc.samples) >= UNEXPECTED_SHARE;
}
