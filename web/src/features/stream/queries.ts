import { eventsResponseSchema, type EventsResponse, type FlowEvent } from '@flowscope/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../lib/api';

const HISTORY_LIMIT = 200;

// At module scope, so TanStack Query keeps the selected list while the data is the same.
const selectEvents = (response: EventsResponse): readonly FlowEvent[] => response.events;

/** The history request; an expression is evaluated by the server, so history holds matches only. */
function recentEventsPath(filter: string | null): string {
  const params = new URLSearchParams({ limit: String(HISTORY_LIMIT) });
  if (filter) params.set('filter', filter);
  return `/api/events?${params.toString()}`;
}

/**
 * Recent events from before this page was opened; fetched once per filter, live events take over
 * after. `filter` is a filter-language expression that compiled, or null for all events.
 */
export function useRecentEvents(filter: string | null) {
  return useQuery({
    queryKey: ['events', 'recent', HISTORY_LIMIT, filter],
    queryFn: ({ signal }) => apiGet(recentEventsPath(filter), eventsResponseSchema, signal),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: 1,
    // Keep the rows on screen while another filter's history loads; the list filters them anyway.
    placeholderData: keepPreviousData,
    select: selectEvents,
  });
}
