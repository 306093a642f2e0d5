import type { Annotation } from '@flowscope/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { Annotations } from '../annotations';
import { FlowHeader } from './FlowHeader';
import { PathComparison } from './PathComparison';
import { StepInspector } from './StepInspector';
import type { TimelineMark as Mark } from './timelineLayout';
import { TimelineMark } from './TimelineMark';
import { happyOrder } from './trace.fixtures';
import { traceMarkers } from './trace.markers';

afterEach(cleanup);

const evil = '<img src=x onerror=alert(1)>';

function annotations(...notes: [target: string, title: string, description: string][]): Annotations {
  return {
    available: true,
    byTarget: new Map(
      notes.map(([target, title, description]): [string, Annotation] => [
        target,
        { target, title, description, updatedAt: 1 },
      ]),
    ),
  };
}

function show(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );
}

const noop = () => undefined;

describe('notes in the trace view', () => {
  it("shows the flow kind's note under the header's title, as text", () => {
    const flow = happyOrder();
    show(
      <FlowHeader
        flow={flow}
        live={false}
        selectedId={null}
        onSelectEvent={noop}
        onSelectStep={noop}
        annotations={annotations(['kind:order.placed', `Checkout ${evil}`, `Starts when a customer pays.\n${evil}`])}
      />,
    );
    const note = screen.getByTestId(traceMarkers.kindNote);
    expect(note.textContent).toContain(`Checkout ${evil}`);
    expect(note.textContent).toContain('Starts when a customer pays.');
    expect(note.querySelector('img')).toBeNull();
    expect(within(note).getByRole('button', { name: 'Edit the note on flow kind order.placed' })).toBeTruthy();
  });

  it('offers to add a note on the kind when there is none, and shows no note block without the data', () => {
    const flow = happyOrder();
    const props = { flow, live: false, selectedId: null, onSelectEvent: noop, onSelectStep: noop } as const;
    show(<FlowHeader {...props} annotations={annotations()} />);
    expect(
      within(screen.getByTestId(traceMarkers.kindNote)).getByRole('button', {
        name: 'Add a note on flow kind order.placed',
      }),
    ).toBeTruthy();
    cleanup();
    show(<FlowHeader {...props} />);
    expect(screen.queryByTestId(traceMarkers.kindNote)).toBeNull();
  });

  it("shows the inspected step's note in the step inspector", () => {
    const flow = happyOrder();
    const second = flow.events[1];
    show(
      <StepInspector
        flow={flow}
        eventId={second?.id ?? ''}
        tab="payload"
        onTabChange={noop}
        onMove={noop}
        onClose={noop}
        annotations={annotations(
          ['step:order.placed/inventory.reserved@inventory', `Reserve ${evil}`, 'Holds stock for 15 minutes.'],
          ['step:order.placed/order.placed@orders', 'Not this one', ''],
        )}
      />,
    );
    const note = screen.getByTestId(traceMarkers.stepNote);
    expect(note.textContent).toContain(`Reserve ${evil}`);
    expect(note.textContent).toContain('Holds stock for 15 minutes.');
    expect(note.textContent).not.toContain('Not this one');
    expect(note.querySelector('img')).toBeNull();
    expect(note.querySelector('[data-target]')?.getAttribute('data-target')).toBe(
      'step:order.placed/inventory.reserved@inventory',
    );
  });

  it('marks the steps that have a note in the step list, with the whole note in the tooltip and label', () => {
    const flow = happyOrder();
    show(
      <PathComparison
        flow={flow}
        selectedId={null}
        cursorId={null}
        highlightStep={null}
        onSelect={noop}
        annotations={annotations(['step:order.placed/payment.authorized@payments', `Pay ${evil}`, 'Via the PSP'])}
      />,
    );
    const marks = screen.getAllByTestId(traceMarkers.stepNoteMark);
    expect(marks).toHaveLength(1);
    const mark = marks[0] as HTMLElement;
    expect(mark.closest('button')?.dataset.eventId).toBe(flow.events[2]?.id);
    expect(mark.title).toBe(`Note: Pay ${evil} — Via the PSP`);
    expect(mark.textContent).toBe(`Note: Pay ${evil}`);
    expect(mark.querySelector('img')).toBeNull();
  });

  it('puts a note marker on a timeline mark and the note in its label', () => {
    const mark: Mark = {
      eventId: 'e1',
      index: 0,
      row: 0,
      laneId: 'order-service',
      label: 'order.placed',
      offsetMs: 0,
      x: 40,
      y: 30,
      labelY: 52,
      severity: null,
      anomalies: [],
    };
    const { container } = render(
      <svg>
        <TimelineMark
          mark={mark}
          eventType="order.placed"
          note={`Starts it ${evil}`}
          selected={false}
          cursor
          onSelect={noop}
          onHover={noop}
        />
      </svg>,
    );
    const g = screen.getByTestId(traceMarkers.timelineMark);
    expect(g.dataset.hasNote).toBe('true');
    expect(g.getAttribute('aria-label')).toContain(`Note: Starts it ${evil}`);
    expect(screen.getByTestId(traceMarkers.timelineNote)).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });
});
