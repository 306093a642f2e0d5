import { flowEventSchema } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, apiGet } from '../../lib/api';

/** One event from the server's buffer, for deep links to events no longer (or not yet) live. */
export function useEventQuery(id: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['event', id],
    queryFn: ({ signal }) => apiGet(`/api/events/${encodeURIComponent(id ?? '')}`, flowEventSchema, signal),
    enabled: enabled && id !== null,
    staleTime: Number.POSITIVE_INFINITY,
    // A missing event will not appear by asking again.
    retry: (count, error) => !(error instanceof ApiRequestError && error.failure === 'not-found') && count < 2,
  });
}
