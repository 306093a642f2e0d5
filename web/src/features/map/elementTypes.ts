import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { ChannelNode } from './ChannelNode';
import { FlowEdge } from './FlowEdge';
import { ServiceNode } from './ServiceNode';

// Module scope: React Flow re-mounts every node when these objects change identity.
const nodeTypes = { service: ServiceNode, channel: ChannelNode } satisfies NodeTypes;
const edgeTypes = { flow: FlowEdge } satisfies EdgeTypes;

/**
 * The props every map shows with: a picture to read, not an editor (no dragging, connecting or
 * selecting), dark, and the same zoom range. The live map and the tour spread these.
 */
export const readOnlyMapProps = {
  nodeTypes,
  edgeTypes,
  colorMode: 'dark',
  nodesDraggable: false,
  nodesConnectable: false,
  nodesFocusable: false,
  edgesFocusable: false,
  elementsSelectable: false,
  minZoom: 0.2,
  maxZoom: 2,
  proOptions: { hideAttribution: true },
} as const;
