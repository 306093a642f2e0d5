import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { basisPath, routeMidpoint } from './edgePath';
import { edgeLabel, edgeTooltip, lagLevel } from './edgeLabel';
import { mapMarkers } from './map.markers';
import type { MapFlowEdge } from './toFlowElements';

function FlowEdgeView(props: EdgeProps<MapFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data } = props;
  // Prefer the layout's route (it goes around nodes); fall back to a plain curve.
  const route = data?.route;
  const [path, labelX, labelY] = route
    ? [basisPath(route), routeMidpoint(route).x, routeMidpoint(route).y]
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const kind = data?.kind ?? 'produces';
  const lag = lagLevel(data?.lag);
  const classes = [
    'fs-edge',
    `fs-edge--${kind}`,
    data?.inferred ? 'fs-edge--inferred' : '',
    // Lag is always labelled (not only on hover): it is what a reader scans the map for.
    lag !== 'none' ? `fs-edge--lag fs-edge--lag-${lag}` : '',
  ].filter(Boolean);
  return (
    <g
      className={classes.join(' ')}
      data-testid={mapMarkers.edge}
      data-edge-kind={kind}
      data-edge-from={data?.sourceName}
      data-edge-to={data?.targetName}
      data-lag-level={lag}
    >
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} interactionWidth={0} />
      {/* A wide invisible twin carries the tooltip, so the thin line is easy to hover. */}
      <path d={path} className="fs-edge__hit" data-testid={mapMarkers.edgeTooltip}>
        <title>{data ? edgeTooltip(data) : ''}</title>
      </path>
      <text className="fs-edge__label" x={labelX} y={labelY - 6} textAnchor="middle" data-testid={mapMarkers.edgeLabel}>
        {data ? edgeLabel(data) : ''}
      </text>
    </g>
  );
}

export const FlowEdge = memo(FlowEdgeView);
