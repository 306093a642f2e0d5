import {
  annotationSchema,
  annotationsResponseSchema,
  catalogResponseSchema,
  flowsResponseSchema,
  type Annotation,
  type AnnotationInput,
  type FlowSummary,
} from '@flowscope/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiRequestError, apiGet, apiSend } from '../../lib/api';

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
export function useExampleFlows() {
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
export function examplesByKind(flows: readonly FlowSummary[]): ReadonlyMap<string, KindExamples> {
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

const ANNOTATIONS_KEY = ['annotations'] as const;

export type Annotations = Readonly<{
  /** False when this server has no annotations API (an older version): nothing can be edited. */
  available: boolean;
  byTarget: ReadonlyMap<string, Annotation>;
}>;

const NONE: Annotations = { available: false, byTarget: new Map() };

/** Everyone's notes on kinds, steps, services and channels, by target. */
export function useAnnotations() {
  const query = useQuery({
    queryKey: ANNOTATIONS_KEY,
    queryFn: async ({ signal }): Promise<Annotations> => {
      try {
        const r = await apiGet('/api/annotations', annotationsResponseSchema, signal);
        return { available: true, byTarget: new Map(r.annotations.map((a) => [a.target, a])) };
      } catch (err) {
        if (err instanceof ApiRequestError && err.failure === 'not-found') return NONE;
        throw err;
      }
    },
    staleTime: 10_000,
    retry: 1,
  });
  return { annotations: query.data ?? NONE, error: query.error, loading: query.isPending };
}

/** Saves (title and description) or, with both empty, deletes the annotation on a target. */
export function useSaveAnnotation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: AnnotationInput) => {
      if (input.title.trim() === '' && input.description.trim() === '') {
        await apiSend('DELETE', `/api/annotations?target=${encodeURIComponent(input.target)}`, undefined, null).catch(
          (err: unknown) => {
            // Nothing to delete is what was asked for.
            if (!(err instanceof ApiRequestError && err.failure === 'not-found')) throw err;
          },
        );
        return null;
      }
      return apiSend('PUT', '/api/annotations', input, annotationSchema);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ANNOTATIONS_KEY }),
  });
}

/** Annotation targets, as the server names them. */
export const annotationTarget = {
  kind: (kind: string) => `kind:${kind}`,
  step: (kind: string, step: string) => `step:${kind}/${step}`,
  service: (name: string) => `service:${name}`,
  channel: (id: string) => `channel:${id}`,
} as const;
