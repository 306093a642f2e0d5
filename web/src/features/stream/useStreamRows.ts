import { useMemo } from 'react';
import { selectDropped, selectVisibleItems, useLiveStore } from '../../stores/liveStore';
import { useRecentEvents } from './queries';
import { countEvents, filterRows, mergeRows, parseNodeFilter, type FilterMode } from './streamRows';
import { useStreamQuery } from './useStreamQuery';

/**
 * The rows the stream shows: live events and fetched history, merged, then narrowed by what is
 * typed in the filter box (`draft`) and by the map node. History is filtered by the server with
 * the same evaluator, using the text once it is in the URL (`committed`): that pause in typing
 * keeps each keystroke from becoming a request.
 */
export function useStreamRows(draft: string, committed: string, mode: FilterMode, nodeId: string | null) {
  const live = useLiveStore(selectVisibleItems);
  const dropped = useLiveStore(selectDropped);
  const typed = useStreamQuery(draft, mode);
  const committedQuery = useStreamQuery(committed, mode).query;
  const historyFilter = committedQuery.kind === 'expr' ? committedQuery.filter.source : null;
  const history = useRecentEvents(historyFilter);

  const node = useMemo(() => parseNodeFilter(nodeId), [nodeId]);
  const all = useMemo(() => mergeRows(live, history.data ?? [], dropped), [live, history.data, dropped]);
  const rows = useMemo(() => {
    const filtered = filterRows(all, { query: typed.query, node });
    // Gap rows alone do not make a match: show "no events match" instead.
    return filtered !== all && countEvents(filtered) === 0 ? [] : filtered;
  }, [all, typed.query, node]);
  const historyFiltered = historyFilter !== null && dropped === 0 && (history.data?.length ?? 0) > 0;
  return { all, rows, typed, node, dropped, historyFiltered };
}
