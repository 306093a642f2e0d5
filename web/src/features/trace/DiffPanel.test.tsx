import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiffPanel } from './DiffPanel';
import { deadLetteredOrder, happyOrder, makeFlow } from './trace.fixtures';
import { traceMarkers } from './trace.markers';

afterEach(cleanup);

const entries = () => screen.getAllByTestId(traceMarkers.diffEntry).map((e) => `${e.dataset.change} ${e.dataset.path}`);

describe('DiffPanel', () => {
  it('compares order.confirmed with order.placed, the previous step of the same order', () => {
    const flow = happyOrder();
    render(<DiffPanel events={flow.events} index={3} baselineId={null} onBaselineChange={vi.fn()} />);
    const panel = screen.getByTestId(traceMarkers.diffPanel);
    expect(panel.dataset.baselineId).toBe(flow.events[0]?.id);
    expect(panel.textContent).toContain('#1 order.placed (orders)');
    expect(entries()).toEqual([
      'changed total',
      'removed items',
      'removed shippingAddress',
      'added paymentId',
      'added status',
    ]);
    const total = screen.getAllByTestId(traceMarkers.diffEntry)[0];
    expect(total?.textContent).toContain('37.5 → 39.9');
    expect(panel.textContent).toContain('+2 added');
    expect(panel.textContent).toContain('3 unchanged');
  });

  it('lets the user compare with another earlier step', () => {
    const flow = happyOrder();
    const onBaselineChange = vi.fn();
    const { rerender } = render(
      <DiffPanel events={flow.events} index={3} baselineId={null} onBaselineChange={onBaselineChange} />,
    );
    fireEvent.change(screen.getByTestId(traceMarkers.diffBaseline), { target: { value: flow.events[2]?.id } });
    expect(onBaselineChange).toHaveBeenCalledWith(flow.events[2]?.id);
    rerender(
      <DiffPanel
        events={flow.events}
        index={3}
        baselineId={flow.events[2]?.id ?? null}
        onBaselineChange={onBaselineChange}
      />,
    );
    expect(screen.getByTestId(traceMarkers.diffPanel).dataset.baselineId).toBe(flow.events[2]?.id);
  });

  it('shows that a dead letter carries the same payload as the failure before it', () => {
    const flow = deadLetteredOrder();
    render(<DiffPanel events={flow.events} index={4} baselineId={null} onBaselineChange={vi.fn()} />);
    expect(screen.getByTestId(traceMarkers.diffPanel).textContent).toContain('No differences');
    expect(screen.queryAllByTestId(traceMarkers.diffEntry)).toHaveLength(0);
  });

  it('says why payloads that are not JSON cannot be compared', () => {
    const flow = makeFlow([
      { type: 'a', channel: 'x', at: 0 },
      { type: 'b', channel: 'x', at: 5, payload: { encoding: 'binary', value: 'AAE=' } },
    ]);
    render(<DiffPanel events={flow.events} index={1} baselineId={null} onBaselineChange={vi.fn()} />);
    expect(screen.getByTestId(traceMarkers.diffNotComparable).textContent).toContain(
      "Not comparable field by field: this step's payload is binary",
    );
  });

  it('has nothing to compare for the first step', () => {
    const flow = happyOrder();
    render(<DiffPanel events={flow.events} index={0} baselineId={null} onBaselineChange={vi.fn()} />);
    expect(screen.getByTestId(traceMarkers.diffPanel).textContent).toContain('first step of the flow');
    expect(screen.queryByTestId(traceMarkers.diffBaseline)).toBeNull();
  });

  it('shows payload values as text, never as markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const flow = makeFlow([
      { type: 'a', channel: 'x', at: 0, data: { note: 'hi' } },
      { type: 'b', channel: 'x', at: 5, data: { note: evil, [evil]: 1 } },
    ]);
    const { container } = render(
      <DiffPanel events={flow.events} index={1} baselineId={null} onBaselineChange={vi.fn()} />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId(traceMarkers.diffPanel).textContent).toContain(evil);
  });
});
