import { diffTopology, type Topology, type TopologyDelta } from '@flowscope/shared';

/** A map with the version its deltas build on. */
export type VersionedTopology = Topology & { readonly version: number };

const isEmpty = (d: TopologyDelta) =>
  d.nodes.length === 0 &&
  d.removedNodes.length === 0 &&
  d.edges.length === 0 &&
  d.removedEdges.length === 0 &&
  d.consumers === undefined &&
  d.hidden === undefined;

/**
 * The map for live clients: a new subscriber gets it whole, then every client gets only what
 * changed since the version before (`topologyDelta`), computed once for all of them. The map sent
 * whole is always the last one the deltas were computed against, so the next delta applies to it.
 */
export class TopologyFeed {
  private last: { readonly version: number; readonly topology: Topology } | undefined;

  constructor(private readonly snapshot: () => Topology) {}

  /** The map to send whole (to a new subscriber, or one that lost track). */
  current(): VersionedTopology {
    this.last ??= { version: 0, topology: this.snapshot() };
    return { ...this.last.topology, version: this.last.version };
  }

  /** What changed since the last map, or undefined when nothing did (nothing is sent then). */
  next(): TopologyDelta | undefined {
    const topology = this.snapshot();
    if (!this.last) {
      this.last = { version: 0, topology };
      return undefined;
    }
    const delta = diffTopology(this.last.topology, topology, this.last.version);
    if (isEmpty(delta)) return undefined;
    this.last = { version: delta.to, topology };
    return delta;
  }
}
