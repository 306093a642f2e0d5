import { useCallback } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';
import { flowIdOf, momentOf, tracePath, traceSearchPath } from '../../lib/routes';
import type { LaneMode } from './timelineLayout';

export type TraceViewMode = 'timeline' | 'sequence';
export type StepTab = 'payload' | 'headers' | 'metadata' | 'diff';

const stepTabs: readonly StepTab[] = ['payload', 'headers', 'metadata', 'diff'];

/**
 * The trace view's state that belongs in the URL, so a link shows the same thing: the flow (path),
 * the search (`q`), the selected step (`step`), the diagram (`view`), timeline lanes (`lanes`) and
 * the inspector tab (`tab`).
 */
export function useTraceParams() {
  const params = useParams();
  const [search, update] = useSearchParamsPatch();
  const navigate = useNavigate();

  const flowId = flowIdOf(params['*'] ?? '') || null;
  const tab = search.get('tab');
  return {
    flowId,
    query: search.get('q') ?? '',
    step: search.get('step'),
    /** The flow as it was at this moment (time travel), epoch ms; null: as it is. */
    at: momentOf(search.get('at')),
    clearAt: useCallback(() => update({ at: null }), [update]),
    view: (search.get('view') === 'sequence' ? 'sequence' : 'timeline') as TraceViewMode,
    lanes: (search.get('lanes') === 'channel' ? 'channel' : 'service') as LaneMode,
    tab: (stepTabs.find((t) => t === tab) ?? 'payload') as StepTab,
    search: useCallback((q: string) => navigate(traceSearchPath(q)), [navigate]),
    openFlow: useCallback((id: string) => navigate(tracePath(id)), [navigate]),
    /** Same view, canonical id (after an event id resolved to its flow, or flows merged). */
    replaceFlow: useCallback(
      (id: string, extra: Readonly<Record<string, string>> = {}) => {
        const kept = Object.fromEntries(new URLSearchParams(window.location.search));
        navigate(tracePath(id, { ...kept, ...extra }), { replace: true });
      },
      [navigate],
    ),
    selectStep: useCallback((id: string | null) => update({ step: id }), [update]),
    setView: useCallback((v: TraceViewMode) => update({ view: v === 'timeline' ? null : v }), [update]),
    setLanes: useCallback((l: LaneMode) => update({ lanes: l === 'service' ? null : l }), [update]),
    setTab: useCallback((t: StepTab) => update({ tab: t === 'payload' ? null : t }), [update]),
  };
}

export type TraceParams = ReturnType<typeof useTraceParams>;
