import { serviceNodeId, type Topology } from '@flowscope/shared';
import { useMemo } from 'react';

const NO_CONSUMERS: readonly never[] = [];

/** The consumers drawn as the active node, when it is a service that has any. */
export function useActiveConsumers(topology: Topology | null, activeNodeId: string | null) {
  return useMemo(() => {
    const consumers = topology?.consumers;
    if (!activeNodeId || !consumers) return NO_CONSUMERS;
    const mine = consumers.filter((c) => serviceNodeId(c.service) === activeNodeId);
    return mine.length > 0 ? mine : NO_CONSUMERS;
  }, [topology, activeNodeId]);
}
