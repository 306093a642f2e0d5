import type { EdgeEvidence } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { evidenceKindsIn, filterTopology, formatHiddenEvidence, parseHiddenEvidence } from './edgeFilter';
import { shopTopology, shopWithGroupTopology } from './topology.fixtures';

const hide = (...kinds: EdgeEvidence[]) => new Set(kinds);
const edgeIds = (t: { edges: readonly { id: string }[] }) => t.edges.map((e) => e.id);
const nodeIds = (t: { nodes: readonly { id: string }[] }) => t.nodes.map((n) => n.id);

describe('filterTopology', () => {
  it('shows everything when nothing is hidden', () => {
    const topology = shopWithGroupTopology();
    expect(filterTopology(topology, hide())).toBe(topology);
  });

  it('hides edges known only from hidden evidence, and keeps those other evidence backs', () => {
    const filtered = filterTopology(shopTopology(), hide('inferred-causality'));
    expect(edgeIds(filtered)).not.toContain('consumes:channel:demo/shop/orders->service:inventory-service');
    expect(edgeIds(filtered)).not.toContain('consumes:channel:demo/shop/inventory->service:payment-service');
    // Also seen as a consumer group: stays.
    expect(edgeIds(filtered)).toContain('consumes:channel:demo/shop/payments->service:order-service');
    expect(edgeIds(filtered)).toContain('produces:service:order-service->channel:demo/shop/orders');
    // Services that send events stay although they lost an edge; channels always stay.
    expect(nodeIds(filtered)).toEqual(nodeIds(shopTopology()));
  });

  it('hides a service left with no edge and no events of its own', () => {
    const topology = shopWithGroupTopology();
    const filtered = filterTopology(topology, hide('consumer-group'));
    expect(edgeIds(filtered)).not.toContain('consumes:channel:demo/shop/orders->service:ledger');
    expect(nodeIds(filtered)).not.toContain('service:ledger');
    expect(nodeIds(filtered)).toContain('service:order-service');
    expect(filtered.consumers).toEqual(topology.consumers);
  });

  it('hides every edge when every kind is hidden, but keeps services that send events', () => {
    const filtered = filterTopology(shopWithGroupTopology(), hide('header', 'consumer-group', 'inferred-causality'));
    expect(filtered.edges).toEqual([]);
    expect(nodeIds(filtered)).toHaveLength(6);
  });

  it('does not mutate its input', () => {
    const topology = shopWithGroupTopology();
    const before = structuredClone(topology);
    filterTopology(topology, hide('consumer-group', 'header'));
    expect(topology).toEqual(before);
  });
});

describe('evidence in the URL', () => {
  it('round-trips the hidden kinds in a stable order and ignores unknown names', () => {
    const parsed = parseHiddenEvidence('inferred-causality, bogus,header');
    expect([...parsed].sort()).toEqual(['header', 'inferred-causality']);
    expect(formatHiddenEvidence(parsed)).toBe('header,inferred-causality');
    expect(formatHiddenEvidence(hide())).toBeNull();
    expect(parseHiddenEvidence(null).size).toBe(0);
  });

  it('offers the kinds present in the topology', () => {
    expect(evidenceKindsIn(shopTopology())).toEqual(['header', 'consumer-group', 'inferred-causality']);
  });
});
