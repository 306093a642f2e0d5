import { insightsResponseSchema, type InsightsResponse } from '@flowscope/shared';
import { useQuery, type Query } from '@tanstack/react-query';
import { ApiRequestError, apiGet } from './api';

const REFRESH_MS = 5_000;

/**
 * A server without the insights endpoint (an older one), or a page without access, is not asked
 * again every few seconds: neither changes until the page is opened anew.
 */
const refetchInterval = (query: Query<InsightsResponse>) => {
  const { error } = query.state;
  const hopeless =
    error instanceof ApiRequestError && (error.failure === 'not-found' || error.failure === 'unauthorized');
  return hopeless ? false : REFRESH_MS;
};

/**
 * The architecture insights (`GET /api/insights`), refreshed every 5 s. One query for every view
 * that shows a part of them (the insights page, the catalog, the map, the nav's alert count).
 */
export function useInsights() {
  return useQuery({
    queryKey: ['insights'],
    queryFn: ({ signal }) => apiGet('/api/insights', insightsResponseSchema, signal),
    staleTime: 2_000,
    refetchInterval,
    retry: 1,
  });
}
