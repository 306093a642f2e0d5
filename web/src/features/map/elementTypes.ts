import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { ChannelNode } from './ChannelNode';
import { FlowEdge } from './FlowEdge';
import { ServiceNode } from './ServiceNode';

// Module scope: React Flow re-mounts every node when these objects change identity.
export const nodeTypes = { service: ServiceNode, channel: ChannelNode } satisfies NodeTypes;
export const edgeTypes = { flow: FlowEdge } satisfies EdgeTypes;
