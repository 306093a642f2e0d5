import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Flow } from '@flowscope/shared';
import { flowQueryKey } from './queries';

/**
 * The URL may name the flow by any of its event ids (a "Trace this flow" link, an old link after
 * a merge). Once the flow is known, show its own id, and select the event the link named.
 */
export function useCanonicalFlow(
  urlId: string | null,
  flow: Flow | undefined,
  step: string | null,
  replaceFlow: (id: string, extra?: Readonly<Record<string, string>>) => void,
) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!urlId || !flow || flow.id === urlId) return;
    // Seed the canonical key so the new URL does not fetch the same flow again.
    queryClient.setQueryData(flowQueryKey(flow.id), flow);
    const named = flow.events.some((e) => e.id === urlId);
    replaceFlow(flow.id, !step && named ? { step: urlId } : {});
  }, [urlId, flow, step, replaceFlow, queryClient]);
}
