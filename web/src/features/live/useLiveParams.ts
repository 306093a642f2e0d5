import type { EdgeEvidence } from '@flowscope/shared';
import { useCallback, useMemo } from 'react';
import { momentOf } from '../../lib/routes';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';
import { formatHiddenEvidence, parseHiddenEvidence } from '../map';
import { parseFilterMode, type FilterMode } from '../stream';

/**
 * View state that belongs in the URL so it can be shared: the inspected event (`event`), the
 * map node the stream is filtered to (`node`), the filter text (`q`) and how it is read (`qm=expr`
 * for the filter language; plain text search when absent), and the evidence kinds whose map
 * edges are hidden (`hide=inferred-causality,header`).
 */
export function useLiveParams() {
  const [params, update] = useSearchParamsPatch();

  const nodeId = params.get('node');
  const hideParam = params.get('hide');
  const hiddenEvidence = useMemo(() => parseHiddenEvidence(hideParam), [hideParam]);
  return {
    eventId: params.get('event'),
    /** A moment of the past the view shows (time travel), epoch ms; null: live. */
    at: momentOf(params.get('at')),
    setAt: useCallback(
      (at: number | null) =>
        update({ at: at === null ? null : String(Math.round(at)), ...(at === null ? { window: null } : {}) }),
      [update],
    ),
    /** How much of the past before `at` draws the map, in ms (`window`); null: the server's default. */
    window: momentOf(params.get('window')),
    setWindow: useCallback((ms: number) => update({ window: String(ms) }), [update]),
    nodeId,
    query: params.get('q') ?? '',
    queryMode: parseFilterMode(params.get('qm')),
    openEvent: useCallback((id: string) => update({ event: id }), [update]),
    closeEvent: useCallback(() => update({ event: null }), [update]),
    setQuery: useCallback((q: string) => update({ q }), [update]),
    setQueryMode: useCallback((mode: FilterMode) => update({ qm: mode === 'expr' ? 'expr' : null }), [update]),
    setNode: useCallback((id: string | null) => update({ node: id }), [update]),
    toggleNode: useCallback((id: string) => update({ node: nodeId === id ? null : id }), [update, nodeId]),
    hiddenEvidence,
    toggleEvidence: useCallback(
      (kind: EdgeEvidence) => {
        // From the address bar, like every patch: two quick toggles must not undo each other.
        const next = new Set(parseHiddenEvidence(new URLSearchParams(window.location.search).get('hide')));
        if (!next.delete(kind)) next.add(kind);
        update({ hide: formatHiddenEvidence(next) });
      },
      [update],
    ),
    // The mode is how the user likes to filter, not a filter: clearing keeps it.
    clearFilters: useCallback(() => update({ node: null, q: null }), [update]),
  };
}
