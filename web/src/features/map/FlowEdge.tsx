import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatCount, formatRate } from '../../lib/format';
import { basisPath, routeMidpoint } from './edgePath';
import type { MapFlowEdge } from './toFlowElements';

function describe(data: MapFlowEdge['data']): string {
  if (!data) return '';
  const evidence = data.evidence.join(', ') || 'none';
  const how = data.inferred ? ' (inferred: a service reacted to messages from this channel)' : '';
  return `${data.kind} · evidence: ${evidence}${how} · ${formatCount(data.count)} observations · ${formatRate(data.rate)}`;
}

function FlowEdgeView(props: EdgeProps<MapFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data } = props;
  // Prefer the layout's route (it goes around nodes); fall back to a plain curve.
  const route = data?.route;
  const [path, labelX, labelY] = route
    ? [basisPath(route), routeMidpoint(route).x, routeMidpoint(route).y]
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const kind = data?.kind ?? 'produces';
  const label = data?.inferred ? `inferred · ${formatRate(data.rate)}` : formatRate(data?.rate ?? 0);
  return (
    <g className={`fs-edge fs-edge--${kind}${data?.inferred ? ' fs-edge--inferred' : ''}`}>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} interactionWidth={0} />
      {/* A wide invisible twin carries the tooltip, so the thin line is easy to hover. */}
      <path d={path} className="fs-edge__hit">
        <title>{describe(data)}</title>
      </path>
      <text className="fs-edge__label" x={labelX} y={labelY - 6} textAnchor="middle">
        {label}
      </text>
    </g>
  );
}

export const FlowEdge = memo(FlowEdgeView);
