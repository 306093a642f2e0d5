import { Handle, Position, type NodeProps } from '@xyflow/react';
import { groupedNode, NodeBody, noteLabel } from './NodeBody';
import { memo } from 'react';
import { formatRate } from '../../lib/format';
import { mapMarkers } from './map.markers';
import type { ChannelFlowNode } from './toFlowElements';

function ChannelNodeView({ id, data }: NodeProps<ChannelFlowNode>) {
  const origin = [data.broker, data.cluster].filter(Boolean).join(' · ');
  const idle = data.rate === 0;
  return (
    <div
      className={`fs-node fs-node--channel${data.active ? ' is-active' : ''}${idle ? ' is-idle' : ''}`}
      data-testid={mapMarkers.node(id)}
      data-node-name={data.name}
      data-node-kind="channel"
      data-has-note={data.note ? true : undefined}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      {origin && (
        <span className="fs-node__badge" data-broker={data.broker} aria-hidden="true">
          {origin}
        </span>
      )}
      {/* A real button for focus and keys; its click bubbles to the map's onNodeClick. */}
      <button
        type="button"
        className="fs-node__button"
        aria-pressed={data.active}
        aria-label={`Channel ${data.name}${origin ? ` on ${origin}` : ''}: ${formatRate(data.rate)}.${noteLabel(data.note)} ${groupedNode(id) ? 'The quieter ones, grouped: filter the stream by name to see one.' : data.active ? 'Clear stream filter' : 'Show only its events'}`}
      >
        <NodeBody name={data.name} rate={data.rate} count={data.eventCount} unit="events" note={data.note} />
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export const ChannelNode = memo(ChannelNodeView);
