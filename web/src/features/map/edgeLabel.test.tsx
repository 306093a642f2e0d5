import { cleanup, render } from '@testing-library/react';
import type { EdgeProps } from '@xyflow/react';
import { Position } from '@xyflow/react';
import { afterEach, describe, expect, it } from 'vitest';
import { edgeLabel, edgeTooltip, lagLevel } from './edgeLabel';
import { FlowEdge } from './FlowEdge';
import { mapMarkers } from './map.markers';
import type { MapEdgeData, MapFlowEdge } from './toFlowElements';

afterEach(cleanup);

const consumes = (over: Partial<MapEdgeData> = {}): MapEdgeData => ({
  kind: 'consumes',
  evidence: ['consumer-group'],
  inferred: false,
  count: 0,
  rate: 2,
  sourceName: 'orders',
  targetName: 'ledger',
  consumers: [{ id: 'ledger-app', kind: 'consumer-group', broker: 'kafka' }],
  lag: 5,
  ...over,
});

describe('edge label', () => {
  it('leads with the lag of a consumer edge', () => {
    expect(edgeLabel(consumes())).toBe('lag 5 · 2.0/s');
    expect(edgeLabel(consumes({ lag: 12_345, rate: 0 }))).toBe('lag 12,345 · 0.0/s');
  });

  it('says the lag is unknown when nothing is committed, and says nothing when no lag is reported', () => {
    expect(edgeLabel(consumes({ lag: null }))).toBe('lag ? · 2.0/s');
    const { lag: _, ...noLag } = consumes();
    expect(edgeLabel(noLag)).toBe('2.0/s');
    expect(edgeLabel({ inferred: true, rate: 0.5 })).toBe('inferred · 0.5/s');
  });

  it('flags large lag', () => {
    expect(lagLevel(undefined)).toBe('none');
    expect(lagLevel(null)).toBe('unknown');
    expect(lagLevel(999)).toBe('ok');
    expect(lagLevel(1_000)).toBe('warn');
  });

  it('names the consumer groups, the lag and the evidence in the tooltip', () => {
    const text = edgeTooltip(
      consumes({
        consumers: [
          { id: 'ledger-app', kind: 'consumer-group', broker: 'kafka' },
          { id: 'audit', kind: 'consumer-group', broker: 'kafka' },
        ],
        evidence: ['consumer-group', 'inferred-causality'],
      }),
    );
    expect(text).toContain('consumer groups ledger-app, audit');
    expect(text).toContain('lag 5 records');
    expect(text).toContain('evidence: consumer group, inferred');
    expect(edgeTooltip(consumes({ lag: null }))).toContain('no offsets committed yet');
    expect(edgeTooltip(consumes({ lag: 5_000 }))).toContain('lag 5,000 records (falling behind)');
  });

  it("names another broker's consumers by their kind, and counts messages", () => {
    const queue = consumes({ consumers: [{ id: 'billing-jobs', kind: 'queue', broker: 'rabbitmq' }], lag: 42 });
    expect(edgeTooltip(queue)).toContain('queue billing-jobs');
    expect(edgeTooltip(queue)).toContain('lag 42 messages');
    expect(edgeTooltip({ ...queue, lag: null })).toContain('lag unknown: not reported by the broker');
    const mixed = consumes({
      consumers: [
        { id: 'orders-durable', kind: 'durable', broker: 'nats' },
        { id: 'replay', kind: 'durable', broker: 'nats' },
        { id: 'audit', kind: 'subscription', broker: 'nats' },
      ],
    });
    expect(edgeTooltip(mixed)).toContain('durables orders-durable, replay; subscription audit');
  });
});

const edgeProps = (data: MapEdgeData) =>
  ({
    id: 'consumes:a->b',
    source: 'a',
    target: 'b',
    sourceX: 0,
    sourceY: 0,
    targetX: 100,
    targetY: 0,
    sourcePosition: Position.Right,
    targetPosition: Position.Left,
    data,
  }) as EdgeProps<MapFlowEdge>;

describe('FlowEdge', () => {
  it('shows the lag on the map and warns when it is large', () => {
    const { container, rerender } = render(
      <svg>
        <FlowEdge {...edgeProps(consumes())} />
      </svg>,
    );
    const edge = container.querySelector(`[data-testid="${mapMarkers.edge}"]`);
    expect(edge?.querySelector(`[data-testid="${mapMarkers.edgeLabel}"]`)?.textContent).toBe('lag 5 · 2.0/s');
    expect(edge?.getAttribute('data-lag-level')).toBe('ok');
    expect(edge?.querySelector('title')?.textContent).toContain('consumer group ledger-app');

    rerender(
      <svg>
        <FlowEdge {...edgeProps(consumes({ lag: 4_200 }))} />
      </svg>,
    );
    expect(edge?.getAttribute('class')).toContain('fs-edge--lag-warn');
    expect(edge?.textContent).toContain('lag 4,200');
  });
});
