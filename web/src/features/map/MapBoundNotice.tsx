import type { TopologyHidden } from '@flowscope/shared';
import { Panel } from '@xyflow/react';
import { mapMarkers } from './map.markers';

const count = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Says what a bounded map leaves out, so a quiet service missing from it is not taken for absent:
 * the quietest services and channels are one "other" node each, and the least-used edges beyond
 * the bound are not drawn. The stream's filter still finds any of them by name. A panel of the
 * map: rendered inside its ReactFlow.
 */
export function MapBoundNotice({ hidden }: { hidden: TopologyHidden | undefined }) {
  if (!hidden || hidden.services + hidden.channels + hidden.edges === 0) return null;
  const grouped = [
    hidden.services > 0 ? count(hidden.services, 'quieter service') : '',
    hidden.channels > 0 ? count(hidden.channels, 'quieter channel') : '',
  ].filter(Boolean);
  return (
    <Panel position="top-left">
      <p className="fs-map__bound" role="note" data-testid={mapMarkers.boundNotice}>
        {grouped.length > 0 && <>Busiest shown; {grouped.join(' and ')} grouped as “other”. </>}
        {hidden.edges > 0 && <>{count(hidden.edges, 'least-used connection')} not drawn. </>}
        <span className="fs-muted">Filter the stream by name to see any of them.</span>
      </p>
    </Panel>
  );
}
