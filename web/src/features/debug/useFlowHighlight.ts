import { channelNodeId, serviceNodeId, type Flow, type Topology } from '@flowscope/shared';
import { useEffect, useEffectEvent, useMemo } from 'react';
import { selectStop, useDebugStore } from '../../stores/debugStore';
import { usePausedFlow } from './useStepper';

/** What to light up of the flow the view stopped in: its events, and its services, channels and edges. */
export type FlowHighlight = Readonly<{
  eventIds: ReadonlySet<string>;
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}>;

/**
 * Map elements of a flow as far as the paused view has seen it (events up to `upToSeq`): its
 * producers and channels, and the map's edges between them.
 */
export function flowHighlightOf(flow: Pick<Flow, 'events'>, topology: Topology | null, upToSeq: number): FlowHighlight {
  const events = flow.events.filter((e) => e.seq <= upToSeq);
  const nodes = new Set<string>();
  for (const e of events) {
    nodes.add(channelNodeId(e.source.broker, e.source.cluster, e.channel));
    if (e.producer) nodes.add(serviceNodeId(e.producer));
  }
  const edges = new Set(
    (topology?.edges ?? []).filter((e) => nodes.has(e.source) && nodes.has(e.target)).map((e) => e.id),
  );
  return { eventIds: new Set(events.map((e) => e.id)), nodes, edges };
}

/** The highlight of the flow a breakpoint stopped the view in (none when paused by hand or running). */
export function useFlowHighlight(topology: Topology | null): FlowHighlight | null {
  const stop = useDebugStore(selectStop);
  const { flow, seq } = usePausedFlow();
  return useMemo(() => (stop && flow ? flowHighlightOf(flow, topology, seq) : null), [stop, flow, topology, seq]);
}

/** Opens the event a breakpoint stopped the view at, once per stop. */
export function useOpenAtStop(openEvent: (id: string) => void) {
  const hit = useDebugStore((s) => s.stop?.hit ?? null);
  const open = useEffectEvent(openEvent);
  useEffect(() => {
    if (hit) open(hit.eventId);
  }, [hit]);
}
