import { z } from 'zod';
import { brokerKindSchema } from './broker.js';
import { consumerSchema, type Consumer } from './consumer.js';

export const edgeEvidenceKinds = [
  'header',
  'consumer-group',
  'binding',
  'dead-letter',
  'inferred-causality',
  'declared',
] as const;
export type EdgeEvidence = (typeof edgeEvidenceKinds)[number];

export const topologyNodeSchema = z.object({
  /** `service:<name>` or `channel:<broker>/<cluster>/<channel>`. */
  id: z.string(),
  kind: z.enum(['service', 'channel']),
  name: z.string(),
  broker: brokerKindSchema.optional(),
  cluster: z.string().optional(),
  eventCount: z.number().int().nonnegative(),
  /** Events per second over the last rate window. */
  rate: z.number().nonnegative(),
  lastSeenAt: z.number(),
});
export type TopologyNode = Readonly<z.infer<typeof topologyNodeSchema>>;

export const topologyEdgeSchema = z.object({
  id: z.string(),
  /**
   * Service → channel for `produces`, channel → service for `consumes`, channel → channel for
   * `routes` (the broker moves messages itself: evidence `binding` or `dead-letter`).
   */
  source: z.string(),
  target: z.string(),
  kind: z.enum(['produces', 'consumes', 'routes']),
  evidence: z.array(z.enum(edgeEvidenceKinds)),
  /** How many observations support the edge. */
  count: z.number().int().nonnegative(),
  /** 0..1: how sure the edge is. Declared or header evidence is certain; inferred causality grows with observations. */
  confidence: z.number().min(0).max(1),
  rate: z.number().nonnegative(),
  lastSeenAt: z.number(),
  /** Consumers the broker reports behind a `consumes` edge (evidence `consumer-group`), and their summed lag. */
  consumers: z.array(z.string()).optional(),
  lag: z.number().nonnegative().nullable().optional(),
  /** What selects the messages of a `routes` edge (routing keys, binding arguments), one per binding; '' for none. */
  labels: z.array(z.string()).optional(),
});
export type TopologyEdge = Readonly<z.infer<typeof topologyEdgeSchema>>;

export const topologySchema = z.object({
  nodes: z.array(topologyNodeSchema),
  edges: z.array(topologyEdgeSchema),
  /** Consumers read from the brokers' admin interfaces, with lag and lag history. */
  consumers: z.array(consumerSchema).optional(),
});
export type Topology = Readonly<{
  nodes: readonly TopologyNode[];
  edges: readonly TopologyEdge[];
  consumers?: readonly Consumer[];
}>;

export const serviceNodeId = (name: string) => `service:${name}`;
export const channelNodeId = (broker: string, cluster: string, channel: string) =>
  `channel:${broker}/${cluster}/${channel}`;
