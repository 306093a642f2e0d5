import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byId, topologySchema, type Topology, type TopologyEdge, type TopologyNode } from '../model/topology.js';
import { boundTopology, OTHER_CHANNELS_ID, OTHER_SERVICES_ID } from './bound.js';
import { applyTopologyDelta, diffTopology } from './delta.js';

const service = (name: string, eventCount: number): TopologyNode => ({
  id: `service:${name}`,
  kind: 'service',
  name,
  eventCount,
  rate: eventCount / 100,
  lastSeenAt: 1000 + eventCount,
});
const channel = (name: string, eventCount: number): TopologyNode => ({
  id: `channel:kafka/prod/${name}`,
  kind: 'channel',
  name,
  broker: 'kafka',
  cluster: 'prod',
  eventCount,
  rate: 0,
  lastSeenAt: 1000,
});
const produces = (s: TopologyNode, c: TopologyNode, count: number): TopologyEdge => ({
  id: `produces:${s.id}->${c.id}`,
  source: s.id,
  target: c.id,
  kind: 'produces',
  evidence: ['header'],
  count,
  confidence: 1,
  rate: 1,
  lastSeenAt: 1000,
});

/** The report's shape: 20,000 producers across 5,000 channels, each producer on one channel. */
function hugeMap(): Topology {
  const channels = Array.from({ length: 5000 }, (_, i) => channel(`topic-${i}`, 5000 - i));
  const services = Array.from({ length: 20_000 }, (_, i) => service(`producer-${i}`, 20_000 - i));
  const edges = services.map((s, i) => produces(s, channels[i % 5000] as TopologyNode, s.eventCount));
  return { nodes: [...services, ...channels].sort(byId), edges: edges.sort(byId) };
}

describe('boundTopology', () => {
  it('leaves a map within the bound as it is', () => {
    const a = service('checkout', 10);
    const c = channel('orders', 10);
    const map = { nodes: [c, a], edges: [produces(a, c, 10)] };
    expect(boundTopology(map)).toBe(map);
  });

  it('draws the busiest services and channels of a huge map and groups the rest, with their traffic', () => {
    const map = hugeMap();
    const bounded = boundTopology(map, { services: 150, channels: 250, edges: 1500 });
    expect(topologySchema.parse(bounded)).toBeTruthy();
    const names = bounded.nodes.map((n) => n.name);
    expect(names).toContain('producer-0');
    expect(names).toContain('producer-149');
    expect(names).not.toContain('producer-150');
    expect(bounded.nodes).toHaveLength(150 + 250 + 2);
    const others = bounded.nodes.find((n) => n.id === OTHER_SERVICES_ID);
    expect(others).toMatchObject({ kind: 'service', name: '19,850 other services', grouped: 19_850 });
    expect(bounded.nodes.find((n) => n.id === OTHER_CHANNELS_ID)).toMatchObject({ grouped: 4750 });
    // Nothing counted is lost: the grouped node holds the traffic of those it stands for.
    const total = (t: Topology, kind: string) =>
      t.nodes.filter((n) => n.kind === kind).reduce((sum, n) => sum + n.eventCount, 0);
    expect(total(bounded, 'service')).toBe(total(map, 'service'));
    expect(bounded.edges.length).toBeLessThanOrEqual(1500);
    expect(bounded.hidden).toMatchObject({ services: 19_850, channels: 4750 });
    // Every edge joins two nodes that are on the map.
    const ids = new Set(bounded.nodes.map((n) => n.id));
    for (const e of bounded.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    // What goes over the socket is a few hundred KB at most, not megabytes.
    expect(JSON.stringify(bounded).length).toBeLessThan(600_000);
    expect(JSON.stringify(map).length).toBeGreaterThan(7_000_000);
  });

  it('joins the edges of grouped nodes into one, adding their counts', () => {
    const kept = service('busy', 1000);
    const c = channel('orders', 2000);
    const quiet = [service('q1', 1), service('q2', 2), service('q3', 3)];
    const map = {
      nodes: [kept, c, ...quiet].sort(byId),
      edges: [produces(kept, c, 1000), ...quiet.map((q) => produces(q, c, q.eventCount))].sort(byId),
    };
    const bounded = boundTopology(map, { services: 1, channels: 10, edges: 100 });
    const grouped = bounded.edges.find((e) => e.source === OTHER_SERVICES_ID);
    expect(grouped).toMatchObject({
      kind: 'produces',
      target: c.id,
      count: 6,
      id: `produces:${OTHER_SERVICES_ID}->${c.id}`,
    });
    expect(bounded.edges).toHaveLength(2);
  });
});

describe('topology deltas', () => {
  const arbitraryMap = fc
    .record({
      services: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
      channels: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 }),
      counts: fc.array(fc.nat(50), { minLength: 16, maxLength: 16 }),
      links: fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 12 }),
      hidden: fc.boolean(),
    })
    .map(({ services, channels, counts, links, hidden }): Topology => {
      const s = services.map((n, i) => service(n, counts[i] ?? 0));
      const c = channels.map((n, i) => channel(n, counts[8 + i] ?? 0));
      const edges = new Map<string, TopologyEdge>();
      for (const [a, b] of links) {
        const from = s[a % Math.max(1, s.length)];
        const to = c[b % Math.max(1, c.length)];
        if (from && to) edges.set(`${from.id}${to.id}`, produces(from, to, a + b));
      }
      return {
        nodes: [...s, ...c].sort(byId),
        edges: [...edges.values()].sort(byId),
        ...(hidden ? { hidden: { services: 1, channels: 0, edges: 2 } } : {}),
      };
    });

  it('turn any map into any other: the map patched equals the full one', () => {
    fc.assert(
      fc.property(arbitraryMap, arbitraryMap, (prev, next) => {
        const delta = diffTopology(prev, next, 7);
        expect(delta).toMatchObject({ from: 7, to: 8 });
        expect(applyTopologyDelta(prev, delta)).toEqual(next);
      }),
      { numRuns: 500 },
    );
  });

  it('carry only what moved: a map where one channel got busier sends that channel alone', () => {
    const map = boundTopology(hugeMap());
    const busier = {
      ...map,
      nodes: map.nodes.map((n) => (n.name === 'topic-7' ? { ...n, eventCount: n.eventCount + 1, rate: 3 } : n)),
    };
    const delta = diffTopology(map, busier, 0);
    expect(delta.nodes.map((n) => n.name)).toEqual(['topic-7']);
    expect(delta.edges).toEqual([]);
    expect(delta.removedNodes).toEqual([]);
    expect(JSON.stringify(delta).length).toBeLessThan(400);
  });
});
