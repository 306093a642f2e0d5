import type { Annotation } from '@flowscope/shared';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_LAYOUT, NODE_SIZE } from './layout';
import { mapMarkers } from './map.markers';
import { NodeBody, noteLabel } from './NodeBody';
import { shopTopology } from './topology.fixtures';
import { toFlowElements } from './toFlowElements';

afterEach(cleanup);

const evil = '<img src=x onerror=alert(1)>';
const note = (target: string, title: string, description = ''): [string, Annotation] => [
  target,
  { target, title, description, updatedAt: 1 },
];

describe('notes on map nodes', () => {
  it('puts a service note and a channel note on their nodes, by target, without changing sizes', () => {
    const topology = shopTopology();
    const notes = new Map([
      note('service:order-service', 'Owned by checkout', 'Pager: #checkout'),
      // A channel target names the channel's node id.
      note('channel:channel:demo/shop/orders', '', 'Partitioned by order id\nsecond line'),
      note('service:inventory-service', '  ', '  '),
    ]);
    const { nodes } = toFlowElements(topology, EMPTY_LAYOUT, null, notes);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(byId.get('service:order-service')?.data.note).toEqual({
      title: 'Owned by checkout',
      description: 'Pager: #checkout',
    });
    expect(byId.get('channel:demo/shop/orders')?.data.note?.description).toBe('Partitioned by order id\nsecond line');
    // Blank notes are no notes; nodes without one carry none.
    expect(byId.get('service:inventory-service')?.data.note).toBeUndefined();
    expect(byId.get('channel:demo/shop/payments')?.data).not.toHaveProperty('note');
    for (const n of nodes) expect({ width: n.width, height: n.height }).toEqual(NODE_SIZE[n.type]);
    expect(toFlowElements(topology, EMPTY_LAYOUT, null).nodes.every((n) => !('note' in n.data))).toBe(true);
  });

  it('shows the title on one line, the whole note in the tooltip, and markup as text', () => {
    const n = { title: `Owner ${evil}`, description: `Runbook:\n${evil}` };
    const { container } = render(<NodeBody name="order-service" rate={1} count={3} unit="sent" note={n} />);
    const line = screen.getByTestId(mapMarkers.nodeNote);
    expect(line.textContent).toBe(`Owner ${evil}`);
    expect(line.title).toBe(`Note: Owner ${evil} — Runbook: ${evil}`);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.fs-node__body')?.classList.contains('has-note')).toBe(true);
    expect(noteLabel(n)).toBe(` Note: Owner ${evil} — Runbook: ${evil}.`);
  });

  it('falls back to the first line of the description, and shows nothing without a note', () => {
    render(
      <NodeBody name="orders" rate={0} count={0} unit="events" note={{ title: '', description: 'First\nSecond' }} />,
    );
    expect(screen.getByTestId(mapMarkers.nodeNote).textContent).toBe('First');
    cleanup();
    render(<NodeBody name="orders" rate={0} count={0} unit="events" />);
    expect(screen.queryByTestId(mapMarkers.nodeNote)).toBeNull();
    expect(noteLabel(undefined)).toBe('');
  });
});
