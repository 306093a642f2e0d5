import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * View state that belongs in the URL so it can be shared: the inspected event (`event`), the
 * map node the stream is filtered to (`node`) and the filter text (`q`).
 */
export function useLiveParams() {
  const [params, setParams] = useSearchParams();

  const update = useCallback(
    (patch: Readonly<Record<string, string | null>>) =>
      setParams(
        () => {
          // The address bar, not the last render: two updates in one tick must not undo each other.
          const next = new URLSearchParams(window.location.search);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        // Browsing events and typing filters should not flood the back button.
        { replace: true },
      ),
    [setParams],
  );

  const nodeId = params.get('node');
  return {
    eventId: params.get('event'),
    nodeId,
    query: params.get('q') ?? '',
    openEvent: useCallback((id: string) => update({ event: id }), [update]),
    closeEvent: useCallback(() => update({ event: null }), [update]),
    setQuery: useCallback((q: string) => update({ q }), [update]),
    setNode: useCallback((id: string | null) => update({ node: id }), [update]),
    toggleNode: useCallback((id: string) => update({ node: nodeId === id ? null : id }), [update, nodeId]),
    clearFilters: useCallback(() => update({ node: null, q: null }), [update]),
  };
}
