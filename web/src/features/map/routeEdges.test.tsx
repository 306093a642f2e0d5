import { withLinks, type ChannelLink, type Topology } from '@flowscope/shared';
import { cleanup, render } from '@testing-library/react';
import { Position, ReactFlowProvider, type EdgeProps } from '@xyflow/react';
import { afterEach, describe, expect, it } from 'vitest';
import { routeLabel } from './edgeLabel';
import { FlowEdge } from './FlowEdge';
import { layoutGraph, layoutGraphOf } from './layout';
import { MapLegend } from './MapLegend';
import { mapMarkers } from './map.markers';
import { EDGE_COLORS, toFlowElements, type MapFlowEdge } from './toFlowElements';

afterEach(cleanup);

const link = (from: string, to: string, kind: ChannelLink['kind'], label: string): ChannelLink => ({
  source: 'rabbitmq:prod',
  broker: 'rabbitmq',
  cluster: 'prod',
  from,
  to,
  kind,
  label,
});

/** An exchange routing into a queue by two keys; the queue dead-letters to another exchange. */
const routed: Topology = withLinks({ nodes: [], edges: [] }, [
  link('orders', 'billing', 'binding', 'order.*'),
  link('orders', 'billing', 'binding', 'order.paid'),
  link('billing', 'orders.dlx', 'dead-letter', 'billing.failed'),
]);

const elements = () => toFlowElements(routed, layoutGraph(layoutGraphOf(routed)), null);

const edgeTo = (target: string): MapFlowEdge => {
  const edge = elements().edges.find((e) => e.target === `channel:rabbitmq/prod/${target}`);
  if (!edge) throw new Error(`no edge to ${target}`);
  return edge;
};

/** Renders one laid-out edge as the map does, and returns its group. */
function drawn(edge: MapFlowEdge) {
  const props = {
    ...edge,
    sourceX: 0,
    sourceY: 0,
    targetX: 200,
    targetY: 0,
    sourcePosition: Position.Right,
    targetPosition: Position.Left,
  } as unknown as EdgeProps<MapFlowEdge>;
  const { container } = render(
    <svg>
      <FlowEdge {...props} />
    </svg>,
  );
  const g = container.querySelector(`[data-testid="${mapMarkers.edge}"]`);
  return {
    kind: g?.getAttribute('data-edge-kind'),
    evidence: g?.getAttribute('data-edge-evidence'),
    classes: g?.getAttribute('class')?.split(' ') ?? [],
    label: g?.querySelector(`[data-testid="${mapMarkers.edgeLabel}"]`)?.textContent,
    tooltip: g?.querySelector('title')?.textContent ?? '',
  };
}

describe('routes between channels on the map', () => {
  it('draws a binding dashed between exchange and queue, with its keys always shown and the evidence in its tooltip', () => {
    const edge = edgeTo('billing');
    const g = drawn(edge);
    expect(g).toMatchObject({ kind: 'routes', evidence: 'binding', label: 'order.* | order.paid' });
    expect(g.classes).toEqual(expect.arrayContaining(['fs-edge--routes', 'fs-edge--keyed']));
    expect(g.classes).not.toContain('fs-edge--dead-letter');
    expect(g.tooltip).toContain('binding: orders routes to billing');
    expect(g.tooltip).toContain('messages matching order.* | order.paid');
    expect(g.tooltip).toContain('evidence: binding (read from the broker)');
    expect(edge.markerEnd).toMatchObject({ color: EDGE_COLORS.routes });
  });

  it('draws a dead-letter route in red, labelled as dead letters with the routing key', () => {
    const edge = edgeTo('orders.dlx');
    const g = drawn(edge);
    expect(g).toMatchObject({ kind: 'routes', evidence: 'dead-letter', label: 'dead letters · billing.failed' });
    expect(g.classes).toEqual(expect.arrayContaining(['fs-edge--routes', 'fs-edge--dead-letter']));
    expect(g.tooltip).toContain('billing sends the messages it rejects or expires to orders.dlx');
    expect(g.tooltip).toContain('routing key billing.failed');
    expect(g.tooltip).toContain('evidence: dead letter');
    expect(edge.markerEnd).toMatchObject({ color: EDGE_COLORS['dead-letter'] });
  });

  it('places exchange, queue and dead-letter exchange left to right, with room for the labels', () => {
    const graph = layoutGraphOf(routed);
    expect(graph.edges.every((e) => e.labelled)).toBe(true);
    const x = (name: string) => layoutGraph(graph).positions.get(`channel:rabbitmq/prod/${name}`)?.x ?? NaN;
    expect(x('orders')).toBeLessThan(x('billing'));
    expect(x('billing')).toBeLessThan(x('orders.dlx'));
  });

  it('shortens long keys on the line (the tooltip has them all), and leaves a keyless binding unlabelled', () => {
    const long = 'orders.eu-west.payments.captured';
    expect(routeLabel({ evidence: ['binding'], labels: [long, 'b'] })).toBe('orders.eu-west.payments… +1');
    expect(routeLabel({ evidence: ['binding'], labels: ['a.#', 'b.#', 'c.#', 'd.#', 'e.#', 'f.#'] })).toBe('a.# +5');
    expect(routeLabel({ evidence: ['binding'], labels: [''] })).toBe('');
    expect(routeLabel({ evidence: ['dead-letter'], labels: [''] })).toBe('dead letters');
  });

  it('explains the route styles in the legend only when the map has them', () => {
    const legend = (evidence: Parameters<typeof MapLegend>[0]['evidence']) =>
      render(
        <ReactFlowProvider>
          <MapLegend {...(evidence ? { evidence } : {})} />
        </ReactFlowProvider>,
      ).container.textContent;
    expect(legend(['binding', 'dead-letter'])).toMatch(/binding.*dead letters/);
    cleanup();
    expect(legend(['header'])).not.toMatch(/binding|dead letters/);
  });
});
