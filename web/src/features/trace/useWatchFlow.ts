import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent } from 'react';
import { watchFlow } from '../../lib/socket';
import { selectLastFlowChange, useFlowWatchStore } from '../../stores/flowWatchStore';
import { flowQueryKey } from './queries';

/**
 * While a flow is open, the server tells us when it gains events; we refetch it then. When it
 * merged into another flow, `onMoved` gets the new id.
 */
export function useWatchFlow(flowId: string | null, onMoved: (flowId: string) => void) {
  const queryClient = useQueryClient();
  const change = useFlowWatchStore(selectLastFlowChange);

  useEffect(() => {
    if (!flowId) return;
    watchFlow(flowId);
    return () => watchFlow(null);
  }, [flowId]);

  const handle = useEffectEvent((c: NonNullable<typeof change>) => {
    if (!flowId || c.watchedId !== flowId) return;
    void queryClient.invalidateQueries({ queryKey: flowQueryKey(flowId) });
    if (c.flowId !== flowId) onMoved(c.flowId);
  });
  useEffect(() => {
    if (change) handle(change);
  }, [change]);
}
