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
  /**
   * Set on a node that stands for this many services (or channels) beyond the map's bound: the
   * quietest ones, grouped so the map stays drawable (see boundTopology). Its id is `others:…`.
   */
  grouped: z.number().int().positive().optional(),
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

/** What a bounded map left out of its own nodes and edges (see boundTopology). */
export const topologyHiddenSchema = z.object({
  /** Services and channels folded into the `others:` nodes. */
  services: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
  /** The least-used edges beyond the edge bound, not drawn at all. */
  edges: z.number().int().nonnegative(),
});
export type TopologyHidden = Readonly<z.infer<typeof topologyHiddenSchema>>;

export const topologySchema = z.object({
  nodes: z.array(topologyNodeSchema),
  edges: z.array(topologyEdgeSchema),
  /** Consumers read from the brokers' admin interfaces, with lag and lag history. */
  consumers: z.array(consumerSchema).optional(),
  /** Present when the map was bounded and left something out. */
  hidden: topologyHiddenSchema.optional(),
});
export type Topology = Readonly<{
  nodes: readonly TopologyNode[];
  edges: readonly TopologyEdge[];
  consumers?: readonly Consumer[];
  hidden?: TopologyHidden;
}>;

export const serviceNodeId = (name: string) => `service:${name}`;
export const channelNodeId = (broker: string, cluster: string, channel: string) =>
  `channel:${broker}/${cluster}/${channel}`;

/**
 * The order of every map's nodes and edges: by id, code unit by code unit. Not `localeCompare`:
 * on a map of 25,000 nodes in arrival order that took most of a second, every second.
 */
export const byId = (a: { readonly id: string }, b: { readonly id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
