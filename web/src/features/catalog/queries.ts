import { catalogResponseSchema, flowsResponseSchema, type FlowSummary } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { apiGet } from '../../lib/api';

/** Learned flow kinds and every channel with its event types and schemas. */
export function useCatalog() {
  return useQuery({
    queryKey: ['catalog'],
    queryFn: ({ signal }) => apiGet('/api/catalog', catalogResponseSchema, signal),
    staleTime: 5_000,
    refetchInterval: 15_000,
    retry: 1,
  });
}

/** Enough recent flows to find a typical and the slowest example of each kind. */
function useExampleFlows() {
  return useQuery({
    queryKey: ['flows', 'examples'],
    queryFn: ({ signal }) => apiGet('/api/flows?limit=500', flowsResponseSchema, signal),
    staleTime: 10_000,
    retry: 1,
    select: (r): readonly FlowSummary[] => r.flows,
  });
}

export type KindExamples = Readonly<{ typical?: FlowSummary; slowest?: FlowSummary }>;

/** Per kind: the completed flow closest to the median duration, and the slowest completed one. */
function examplesByKind(flows: readonly FlowSummary[]): ReadonlyMap<string, KindExamples> {
  const byKind = new Map<string, FlowSummary[]>();
  for (const f of flows) {
    if (f.status !== 'completed') continue;
    const list = byKind.get(f.kind) ?? [];
    list.push(f);
    byKind.set(f.kind, list);
  }
  const out = new Map<string, KindExamples>();
  for (const [kind, list] of byKind) {
    const sorted = [...list].sort((a, b) => a.durationMs - b.durationMs || a.id.localeCompare(b.id));
    const clean = sorted.filter((f) => f.anomalyCount === 0);
    const pool = clean.length > 0 ? clean : sorted;
    const typical = pool[Math.floor((pool.length - 1) / 2)];
    const slowest = sorted[sorted.length - 1];
    out.set(kind, { ...(typical ? { typical } : {}), ...(slowest && slowest !== typical ? { slowest } : {}) });
  }
  return out;
}

export function useKindExamples() {
  const query = useExampleFlows();
  const examples = useMemo(() => examplesByKind(query.data ?? []), [query.data]);
  return { examples, loading: query.isPending };
}

/** Whether this server offers the documentation exports (newer servers do). */
export function useDocsAvailable() {
  return useQuery({
    queryKey: ['export', 'docs-available'],
    queryFn: async ({ signal }) => {
      const r = await fetch('/api/export/markdown', { method: 'HEAD', credentials: 'same-origin', signal });
      return r.ok;
    },
    staleTime: Infinity,
    retry: false,
  }).data;
}
