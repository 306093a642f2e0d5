import { annotationsResponseSchema, type Annotation } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, apiGet } from '../../lib/api';

export const ANNOTATIONS_KEY = ['annotations'] as const;

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
