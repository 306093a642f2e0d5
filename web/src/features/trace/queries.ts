import { flowResponseSchema, flowsResponseSchema, type FlowSummary } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, apiGet } from '../../lib/api';

const RECENT_LIMIT = 50;
const SEARCH_LIMIT = 100;

const notFound = (error: unknown) => error instanceof ApiRequestError && error.failure === 'not-found';

export const flowQueryKey = (id: string) => ['flow', id] as const;

/** The most recently active flows: suggestions and examples for the search box. */
export function useRecentFlows(enabled = true) {
  return useQuery({
    queryKey: ['flows', 'recent', RECENT_LIMIT],
    queryFn: ({ signal }) => apiGet(`/api/flows?limit=${RECENT_LIMIT}`, flowsResponseSchema, signal),
    enabled,
    staleTime: 3_000,
    retry: 1,
    select: (r): readonly FlowSummary[] => r.flows,
  });
}

/** Flows holding this key value (order id, trace id, correlation id, event or message id). */
export function useFlowSearch(query: string) {
  const key = query.trim();
  return useQuery({
    queryKey: ['flows', 'search', key],
    queryFn: ({ signal }) =>
      apiGet(`/api/flows?key=${encodeURIComponent(key)}&limit=${SEARCH_LIMIT}`, flowsResponseSchema, signal),
    enabled: key !== '',
    staleTime: 2_000,
    retry: 1,
    // Nothing yet is not final in a live tool: keep asking, so the flow shows up when its events arrive.
    refetchInterval: (q) => (q.state.data?.flows.length === 0 ? 2_000 : false),
    select: (r): readonly FlowSummary[] => r.flows,
  });
}

/** One flow with its events, hops, anomalies and expected path; `id` may be any of its event ids. */
export function useFlow(id: string | null, at: number | null = null) {
  return useQuery({
    queryKey: at === null ? flowQueryKey(id ?? '') : [...flowQueryKey(id ?? ''), at],
    queryFn: ({ signal }) =>
      apiGet(`/api/flows/${encodeURIComponent(id ?? '')}${at === null ? '' : `?at=${at}`}`, flowResponseSchema, signal),
    enabled: id !== null && id !== '',
    // A flow that is not retained will not appear by asking again.
    retry: (count, error) => !notFound(error) && count < 2,
    // Settling (open → completed or stuck) happens without new events, so no change notice comes.
    refetchInterval: (q) => (at === null && q.state.data?.status === 'open' ? 5_000 : false),
  });
}
