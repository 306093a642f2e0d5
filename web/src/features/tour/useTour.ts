import { useCallback, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { flowIdOf, tracePath } from '../../lib/routes';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';
import { selectLatestTopology, useLiveStore } from '../../stores/liveStore';
import { useFlow } from '../trace';
import { applyMove, stepIndex, tourHighlight, tourStep, tourTopology, type TourMove } from './tourSteps';
import { useTourKeyboard } from './useTourKeyboard';

/**
 * The tour's state from the URL (`/tour/<flow id>?step=<n>`): the flow, the current step, the map
 * with it lit, the way back to the trace, and moves (buttons and keys) that rewrite the URL.
 */
export function useTour() {
  const params = useParams();
  const flowId = flowIdOf(params['*'] ?? '');
  const [search, patch] = useSearchParamsPatch();
  const navigate = useNavigate();
  const query = useFlow(flowId || null);
  const flow = query.data;
  const liveTopology = useLiveStore(selectLatestTopology);

  const count = flow?.events.length ?? 0;
  const index = stepIndex(search.get('step'), count);
  const step = flow ? tourStep(flow, index) : null;
  const topology = useMemo(() => (flow ? tourTopology(flow, liveTopology) : null), [flow, liveTopology]);
  const highlight = useMemo(() => (step && topology ? tourHighlight(step, topology.edges) : null), [step, topology]);

  const traceLink = flow ? tracePath(flow.id, { step: step?.event.id }) : tracePath(flowId);
  const move = useCallback(
    (m: TourMove) => {
      if (m === 'exit') return void navigate(traceLink);
      patch({ step: String(applyMove(index, m, count) + 1) });
    },
    [navigate, traceLink, patch, index, count],
  );
  useTourKeyboard(move);
  const goTo = useCallback((i: number) => patch({ step: String(i + 1) }), [patch]);

  return { flowId, query, flow, count, index, step, topology, highlight, traceLink, move, goTo };
}
