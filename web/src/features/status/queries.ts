import { gapsResponseSchema, healthResponseSchema } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../lib/api';

/** Server health and source status over HTTP; the socket's `sources` take over once connected. */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => apiGet('/api/health', healthResponseSchema, signal),
    refetchInterval: 15_000,
    retry: false,
  });
}

/** Persisted gaps in history (windows where events may be missing). */
export function useGaps() {
  return useQuery({
    queryKey: ['gaps'],
    queryFn: ({ signal }) => apiGet('/api/gaps', gapsResponseSchema, signal),
    refetchInterval: 60_000,
    retry: false,
  });
}
