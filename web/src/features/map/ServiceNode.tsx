import { Handle, Position, type NodeProps } from '@xyflow/react';
import { groupedNode, NodeBody, noteLabel } from './NodeBody';
import { memo } from 'react';
import { formatRate } from '../../lib/format';
import { mapMarkers } from './map.markers';
import { behindText } from './serviceBehind';
import type { ServiceFlowNode } from './toFlowElements';

function ServiceNodeView({ id, data }: NodeProps<ServiceFlowNode>) {
  const idle = data.rate === 0;
  const behind = data.behindMs === undefined ? null : behindText(data.behindMs);
  return (
    <div
      className={`fs-node fs-node--service${data.active ? ' is-active' : ''}${idle ? ' is-idle' : ''}`}
      data-testid={mapMarkers.node(id)}
      data-node-name={data.name}
      data-node-kind="service"
      data-has-note={data.note ? true : undefined}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      {behind && (
        <span className="fs-node__badge fs-node__behind" data-testid={mapMarkers.nodeBehind} aria-hidden="true">
          {behind}
        </span>
      )}
      {/* A real button for focus and keys; its click bubbles to the map's onNodeClick. */}
      <button
        type="button"
        className="fs-node__button"
        aria-pressed={data.active}
        aria-label={`Service ${data.name}: ${formatRate(data.rate)}.${behind ? ` It ${behind}.` : ''}${noteLabel(data.note)} ${groupedNode(id) ? 'The quieter ones, grouped: filter the stream by name to see one.' : data.active ? 'Clear stream filter' : 'Show only its events'}`}
      >
        <span className="fs-node__icon" aria-hidden="true" />
        <NodeBody name={data.name} rate={data.rate} count={data.eventCount} unit="sent" note={data.note} />
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export const ServiceNode = memo(ServiceNodeView);
