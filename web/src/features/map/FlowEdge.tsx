import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { basisPath, routeMidpoint } from './edgePath';
import { edgeLabel, edgeTooltip, lagLevel, routeLabel } from './edgeLabel';
import { mapMarkers } from './map.markers';
import { edgeStyle, type MapFlowEdge } from './toFlowElements';
import './routes.css';

function FlowEdgeView(props: EdgeProps<MapFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data } = props;
  // Prefer the layout's route (it goes around nodes); fall back to a plain curve.
  const route = data?.route;
  const [path, labelX, labelY] = route
    ? [basisPath(route), routeMidpoint(route).x, routeMidpoint(route).y]
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const kind = data?.kind ?? 'produces';
  const style = data ? edgeStyle(data) : kind;
  const lag = lagLevel(data?.lag);
  const label = !data ? '' : kind === 'routes' ? routeLabel(data) : edgeLabel(data);
  const classes = [
    'fs-edge',
    `fs-edge--${kind}`,
    style !== kind ? `fs-edge--${style}` : '',
    data?.inferred ? 'fs-edge--inferred' : '',
    // Lag and a route's keys are always labelled (not only on hover): they are what a reader scans the map for.
    lag !== 'none' ? `fs-edge--lag fs-edge--lag-${lag}` : '',
    kind === 'routes' && label ? 'fs-edge--keyed' : '',
  ].filter(Boolean);
  return (
    <g
      className={classes.join(' ')}
      data-testid={mapMarkers.edge}
      data-edge-kind={kind}
      data-edge-from={data?.sourceName}
      data-edge-to={data?.targetName}
      data-edge-evidence={data?.evidence.join(' ')}
      data-lag-level={lag}
    >
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} interactionWidth={0} />
      {/* A wide invisible twin carries the tooltip, so the thin line is easy to hover. */}
      <path d={path} className="fs-edge__hit" data-testid={mapMarkers.edgeTooltip}>
        <title>{data ? edgeTooltip(data) : ''}</title>
      </path>
      <text className="fs-edge__label" x={labelX} y={labelY - 6} textAnchor="middle" data-testid={mapMarkers.edgeLabel}>
        {label}
      </text>
    </g>
  );
}

export const FlowEdge = memo(FlowEdgeView);
