import { historyResponseSchema } from '@flowscope/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef } from 'react';
import { apiGet } from '../../lib/api';
import { useDebugStore } from '../../stores/debugStore';
import { useLiveStore } from '../../stores/liveStore';

/**
 * The view at `at` (null: live): the map and the stream of that moment, fetched from the server
 * (buffer and store) and shown in the paused view; leaving the past resumes the live view.
 */
export function useHistory(at: number | null, windowMs: number | null, onLive: () => void) {
  const query = useQuery({
    queryKey: ['history', at, windowMs],
    queryFn: ({ signal }) =>
      apiGet(`/api/history?at=${at ?? 0}${windowMs ? `&window=${windowMs}` : ''}`, historyResponseSchema, signal),
    enabled: at !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: 1,
  });
  const data = at === null ? undefined : query.data;
  const shown = useRef(false);
  useEffect(() => {
    if (!data) return;
    // A breakpoint's stop does not hold a view of the past.
    useDebugStore.getState().release();
    useLiveStore.getState().showHistory([...data.events].reverse(), data.topology);
    shown.current = true;
  }, [data]);
  // The stream's Resume runs the view live again: the past is left too.
  const paused = useLiveStore((s) => s.frozen !== null);
  const goLive = useEffectEvent(onLive);
  useEffect(() => {
    if (shown.current && !paused) goLive();
  }, [paused]);
  return { data, fetching: query.isFetching, error: query.error };
}

/**
 * Leaving the past (Back to live, or an address without `at`): the view runs live again. Used
 * where the live view is, which stays mounted when the history bar goes.
 */
export function useLeaveHistory(at: number | null) {
  const was = useRef(at);
  useEffect(() => {
    if (was.current !== null && at === null) useLiveStore.getState().resume();
    was.current = at;
  }, [at]);
}
