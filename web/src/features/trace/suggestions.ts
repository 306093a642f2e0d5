import type { CorrelationKey, FlowSummary } from '@flowscope/shared';

export type Suggestion = Readonly<{ flow: FlowSummary; match: CorrelationKey | null }>;

/** Short, human keys (order ids) before long machine ones (trace ids, UUIDs). */
export function displayKeys(keys: readonly CorrelationKey[]): CorrelationKey[] {
  return [...keys].sort((a, b) => a.value.length - b.value.length || a.name.localeCompare(b.name));
}

/**
 * Recent flows that fit what is typed: a key value, the flow id or the kind containing the text
 * (case-insensitive), values that start with it first. Empty text: the most recent flows.
 */
export function suggestFlows(recent: readonly FlowSummary[], text: string, limit = 8): Suggestion[] {
  const q = text.trim().toLowerCase();
  if (q === '') return recent.slice(0, limit).map((flow) => ({ flow, match: null }));
  const scored: { s: Suggestion; score: number; order: number }[] = [];
  recent.forEach((flow, order) => {
    let best: { key: CorrelationKey | null; score: number } | null = null;
    for (const key of displayKeys(flow.keys)) {
      const v = key.value.toLowerCase();
      const score = v === q ? 0 : v.startsWith(q) ? 1 : v.includes(q) ? 2 : -1;
      if (score >= 0 && (!best || score < best.score)) best = { key, score };
    }
    if (!best && (flow.id.toLowerCase().includes(q) || flow.kind.toLowerCase().includes(q)))
      best = { key: null, score: 3 };
    if (best) scored.push({ s: { flow, match: best.key }, score: best.score, order });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .slice(0, limit)
    .map((x) => x.s);
}

const EXAMPLE_NAMES = ['orderId', 'traceId', 'correlationId'];

/** One example value per well-known key name (then any others), taken from recent flows. */
export function exampleKeys(recent: readonly FlowSummary[], limit = 3): CorrelationKey[] {
  const found = new Map<string, CorrelationKey>();
  for (const flow of recent) for (const k of flow.keys) if (!found.has(k.name)) found.set(k.name, k);
  const known = EXAMPLE_NAMES.flatMap((n) => {
    const k = found.get(n);
    return k ? [k] : [];
  });
  const others = [...found.values()].filter((k) => !EXAMPLE_NAMES.includes(k.name));
  return [...known, ...others].slice(0, limit);
}
