import { healthResponseSchema } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from './api';

/** Server health, source status and configured links over HTTP; the socket's `sources` take over once connected. */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => apiGet('/api/health', healthResponseSchema, signal),
    // Sooner while history cannot be written, so the pill goes as soon as writing works again.
    refetchInterval: (query) => (query.state.data?.store?.state === 'failing' ? 3_000 : 15_000),
    retry: false,
  });
}
