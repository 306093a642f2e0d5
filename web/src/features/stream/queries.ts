import { eventsResponseSchema, type FlowEvent } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../lib/api';

const HISTORY_LIMIT = 200;

/** Recent events from before this page was opened; fetched once, live events take over after. */
export function useRecentEvents() {
  return useQuery({
    queryKey: ['events', 'recent', HISTORY_LIMIT],
    queryFn: ({ signal }) => apiGet(`/api/events?limit=${HISTORY_LIMIT}`, eventsResponseSchema, signal),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: 1,
    // The wire schema has plain numbers where the model brands seq and times.
    select: (response): readonly FlowEvent[] => response.events as FlowEvent[],
  });
}
