import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowHeader } from './FlowHeader';
import type { Flow } from '@flowscope/shared';
import { deadLetteredOrder, happyOrder } from './trace.fixtures';
import { traceMarkers } from './trace.markers';

afterEach(cleanup);

function show(flow: Flow, traceUrl?: string) {
  const onSelectEvent = vi.fn();
  const onSelectStep = vi.fn();
  render(
    <MemoryRouter>
      <FlowHeader
        flow={flow}
        live
        selectedId={null}
        onSelectEvent={onSelectEvent}
        onSelectStep={onSelectStep}
        traceUrl={traceUrl}
      />
    </MemoryRouter>,
  );
  return { onSelectEvent, onSelectStep, header: screen.getByTestId(traceMarkers.flowHeader) };
}

describe('FlowHeader', () => {
  it('shows kind, outcome, keys, duration and services of a healthy flow', () => {
    const { header } = show(happyOrder());
    expect(within(header).getByRole('heading', { level: 1 }).textContent).toBe('order.placed');
    expect(screen.getByTestId(traceMarkers.statusBadge).dataset.status).toBe('completed');
    expect(screen.queryByTestId(traceMarkers.deadLetterBadge)).toBeNull();
    expect(screen.getAllByTestId(traceMarkers.keyChip).map((k) => k.textContent)).toEqual(['orderIdA-1001']);
    expect(header.textContent).toContain('900 ms');
    expect(header.textContent).toContain('shipping-service');
    expect(header.textContent).toContain('No anomalies');
    expect(screen.queryAllByTestId(traceMarkers.anomalyItem)).toHaveLength(0);
  });

  it('links the flow’s W3C trace to the tracing UI when one is set, and shows the bare id otherwise', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const base = happyOrder();
    const traced = {
      ...base,
      events: base.events.map((e) => ({ ...e, correlation: { ...e.correlation, traceId } })),
    };
    show(traced, 'http://localhost:16686/trace/{traceId}');
    const link = screen.getByTestId(traceMarkers.traceLink);
    expect(link.getAttribute('href')).toBe(`http://localhost:16686/trace/${traceId}`);
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    cleanup();
    show(traced);
    expect(screen.getByTestId(traceMarkers.traceId).textContent).toBe(traceId);
    cleanup();
    show(base, 'http://localhost:16686/trace/{traceId}');
    expect(screen.queryByTestId(traceMarkers.traceLink)).toBeNull();
  });

  it('marks a dead-lettered flow as such, next to its failed status', () => {
    show(deadLetteredOrder());
    expect(screen.getByTestId(traceMarkers.statusBadge).dataset.status).toBe('failed');
    expect(screen.getByTestId(traceMarkers.deadLetterBadge).textContent).toContain('dead-lettered');
  });

  it('lists every anomaly, and a click selects the event (or the expected step) concerned', () => {
    const flow = deadLetteredOrder();
    const { onSelectEvent, onSelectStep } = show(flow);
    const items = screen.getAllByTestId(traceMarkers.anomalyItem);
    expect(items.map((i) => i.dataset.kind)).toEqual([
      'dead-lettered',
      'failure',
      'failure',
      'unexpected-step',
      'missing-step',
    ]);
    expect(items[0]?.textContent).toContain('payment.failed@payments.dlq was dead-lettered.');

    fireEvent.click(items[0] as HTMLElement);
    expect(onSelectEvent).toHaveBeenCalledWith(flow.events[4]?.id);
    fireEvent.click(items[4] as HTMLElement);
    expect(onSelectStep).toHaveBeenCalledWith('order.confirmed@orders');
    expect(onSelectEvent).toHaveBeenCalledTimes(1);
  });

  it('renders untrusted keys and messages as text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const flow = deadLetteredOrder();
    const { header } = show({
      ...flow,
      keys: [{ name: 'orderId', value: evil }],
      anomalies: [{ kind: 'failure', message: evil, eventId: flow.events[2]?.id ?? '' }],
    });
    expect(header.querySelector('img')).toBeNull();
    expect(screen.getByTestId(traceMarkers.anomalyItem).textContent).toContain(evil);
    expect(screen.getByTestId(traceMarkers.keyChip).textContent).toContain(evil);
  });
});
