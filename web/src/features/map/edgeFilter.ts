import { edgeEvidenceKinds, type EdgeEvidence, type Topology } from '@flowscope/shared';

/** How each kind of evidence is named on the map. */
export const EVIDENCE_LABELS: Readonly<Record<EdgeEvidence, string>> = {
  header: 'header',
  'consumer-group': 'consumer group',
  binding: 'binding',
  'dead-letter': 'dead letter',
  'inferred-causality': 'inferred',
  declared: 'declared',
};

/** What each kind of evidence means, for tooltips. */
export const EVIDENCE_HINTS: Readonly<Record<EdgeEvidence, string>> = {
  header: 'a message header names the producing service',
  'consumer-group': 'the broker reports a consumer of the service on the channel (consumer group, queue, durable…)',
  binding: 'the broker routes one channel into another (an exchange binding)',
  'dead-letter': "the broker sends a queue's rejected and expired messages to another channel",
  'inferred-causality': 'the service emitted events caused by messages on the channel',
  declared: 'declared in the configuration',
};

const isEvidence = (s: string): s is EdgeEvidence => (edgeEvidenceKinds as readonly string[]).includes(s);

/** The hidden evidence kinds in a `hide` URL parameter (`inferred-causality,header`); unknown names are ignored. */
export function parseHiddenEvidence(param: string | null): ReadonlySet<EdgeEvidence> {
  if (!param) return new Set();
  return new Set(
    param
      .split(',')
      .map((s) => s.trim())
      .filter(isEvidence),
  );
}

/** The `hide` URL parameter for a set of hidden kinds, in a stable order; null when nothing is hidden. */
export function formatHiddenEvidence(hidden: ReadonlySet<EdgeEvidence>): string | null {
  const kinds = edgeEvidenceKinds.filter((k) => hidden.has(k));
  return kinds.length > 0 ? kinds.join(',') : null;
}

/** The evidence kinds that back at least one edge, in the canonical order. */
export function evidenceKindsIn(topology: Topology): EdgeEvidence[] {
  const present = new Set(topology.edges.flatMap((e) => e.evidence));
  return edgeEvidenceKinds.filter((k) => present.has(k));
}

/**
 * The topology without the edges whose evidence is only of hidden kinds (an edge with any
 * visible evidence stays), and without the service nodes this leaves with no edge and no events
 * of their own (e.g. a consumer's service once consumer evidence is hidden). Channels stay:
 * they are where events are seen. Consumers are kept for the consumer panel. Pure; returns
 * `topology` itself when nothing is hidden.
 */
export function filterTopology(topology: Topology, hidden: ReadonlySet<EdgeEvidence>): Topology {
  if (hidden.size === 0) return topology;
  const edges = topology.edges.filter((e) => e.evidence.length === 0 || e.evidence.some((k) => !hidden.has(k)));
  if (edges.length === topology.edges.length) return topology;
  const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
  const nodes = topology.nodes.filter((n) => n.kind !== 'service' || n.eventCount > 0 || linked.has(n.id));
  return topology.consumers ? { nodes, edges, consumers: topology.consumers } : { nodes, edges };
}
