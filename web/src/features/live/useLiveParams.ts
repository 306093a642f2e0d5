import { useCallback } from 'react';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';
import { parseFilterMode, type FilterMode } from '../stream/streamRows';

/**
 * View state that belongs in the URL so it can be shared: the inspected event (`event`), the
 * map node the stream is filtered to (`node`), the filter text (`q`) and how it is read (`qm=expr`
 * for the filter language; plain text search when absent).
 */
export function useLiveParams() {
  const [params, update] = useSearchParamsPatch();

  const nodeId = params.get('node');
  return {
    eventId: params.get('event'),
    nodeId,
    query: params.get('q') ?? '',
    queryMode: parseFilterMode(params.get('qm')),
    openEvent: useCallback((id: string) => update({ event: id }), [update]),
    closeEvent: useCallback(() => update({ event: null }), [update]),
    setQuery: useCallback((q: string) => update({ q }), [update]),
    setQueryMode: useCallback((mode: FilterMode) => update({ qm: mode === 'expr' ? 'expr' : null }), [update]),
    setNode: useCallback((id: string | null) => update({ node: id }), [update]),
    toggleNode: useCallback((id: string) => update({ node: nodeId === id ? null : id }), [update, nodeId]),
    // The mode is how the user likes to filter, not a filter: clearing keeps it.
    clearFilters: useCallback(() => update({ node: null, q: null }), [update]),
  };
}
