import { channelNodeId, serviceNodeId, type Topology } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { layoutGraph, layoutGraphOf } from '../layout';
import { shopTopology } from '../topology.fixtures';
import { toFlowElements } from '../toFlowElements';
import { buildMapSvg, serializeSvg } from './mapSvg';

function svgOf(topology: Topology) {
  const { nodes, edges } = toFlowElements(topology, layoutGraph(layoutGraphOf(topology)), null);
  const built = buildMapSvg(document, nodes, edges);
  const text = serializeSvg(built.svg);
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  return { ...built, text, parsed };
}

const hostileService = '<script>alert(1)</script>';
const hostileChannel = 'orders"><img src=x onerror=alert(1)>';

function hostileTopology(): Topology {
  const service = serviceNodeId(hostileService);
  const channel = channelNodeId('kafka', 'prod', hostileChannel);
  return {
    nodes: [
      { id: service, kind: 'service', name: hostileService, eventCount: 3, rate: 1, lastSeenAt: 0 },
      {
        id: channel,
        kind: 'channel',
        name: hostileChannel,
        broker: 'kafka',
        cluster: 'prod',
        eventCount: 3,
        rate: 1,
        lastSeenAt: 0,
      },
    ],
    edges: [
      {
        id: `${service}->${channel}`,
        source: service,
        target: channel,
        kind: 'produces',
        evidence: ['header'],
        count: 3,
        confidence: 1,
        rate: 1,
        lastSeenAt: 0,
      },
    ],
  };
}

describe('the map as SVG', () => {
  it('draws every service and channel with its name, and every edge, as a standalone document', () => {
    const topology = shopTopology();
    const { parsed, width, height, text } = svgOf(topology);
    expect(parsed.querySelector('parsererror')).toBeNull();
    const root = parsed.documentElement;
    expect(root.localName).toBe('svg');
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(Number(root.getAttribute('width'))).toBe(width);
    expect(Number(root.getAttribute('height'))).toBe(height);
    const texts = [...parsed.querySelectorAll('.node text')].map((t) => t.textContent);
    for (const node of topology.nodes) expect(texts).toContain(node.name);
    expect(parsed.querySelectorAll('.node')).toHaveLength(topology.nodes.length);
    expect(parsed.querySelectorAll('.edge path')).toHaveLength(topology.edges.length);
    expect(text.startsWith('<?xml')).toBe(true);
  });

  it('keeps markup in names as text: no script or img element comes out, the names read as written', () => {
    const { parsed, text } = svgOf(hostileTopology());
    expect(parsed.querySelector('parsererror')).toBeNull();
    expect(parsed.querySelector('script')).toBeNull();
    expect(parsed.querySelector('img')).toBeNull();
    expect(parsed.querySelectorAll('[onerror]')).toHaveLength(0);
    expect(text).not.toContain('<script>');
    const titles = [...parsed.querySelectorAll('.node title')].map((t) => t.textContent);
    expect(titles).toContain(`Service ${hostileService}`);
    expect(titles).toContain(`Channel ${hostileChannel}`);
    expect(parsed.querySelector('.edge title')?.textContent).toBe(`${hostileService} produces ${hostileChannel}`);
  });

  it('stays a readable file when a name holds NUL or control characters, which XML cannot carry', () => {
    const name = 'orders\u0000\u001b[31m';
    const topology = {
      nodes: [{ id: serviceNodeId(name), kind: 'service' as const, name, eventCount: 1, rate: 0, lastSeenAt: 0 }],
      edges: [],
    };
    const { parsed } = svgOf(topology);
    expect(parsed.querySelector('parsererror')).toBeNull();
    expect(parsed.querySelector('.node title')?.textContent).toBe('Service orders\uFFFD\uFFFD[31m');
  });

  it('an empty map is still a valid image', () => {
    const { parsed, width } = svgOf({ nodes: [], edges: [] });
    expect(parsed.querySelector('parsererror')).toBeNull();
    expect(width).toBeGreaterThan(0);
    expect(parsed.querySelectorAll('.node')).toHaveLength(0);
  });
});
