import { gapsResponseSchema } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../lib/api';

export { useHealth } from '../../lib/health';

/** Persisted gaps in history (windows where events may be missing). */
export function useGaps() {
  return useQuery({
    queryKey: ['gaps'],
    queryFn: ({ signal }) => apiGet('/api/gaps', gapsResponseSchema, signal),
    refetchInterval: 60_000,
    retry: false,
  });
}
