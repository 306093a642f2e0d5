import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsumerGroupPanel } from './ConsumerGroupPanel';
import { mapMarkers } from './map.markers';
import { ledgerGroup } from './topology.fixtures';

afterEach(cleanup);

const NOW = 32_000;

describe('ConsumerGroupPanel', () => {
  it('shows the group, its members and the lag of every partition', () => {
    render(<ConsumerGroupPanel service="ledger" groups={[ledgerGroup()]} onClose={() => undefined} now={NOW} />);
    const panel = screen.getByRole('complementary', { name: /consumer group of ledger/i });
    const group = within(panel).getByTestId(mapMarkers.group);
    expect(group.getAttribute('data-group-id')).toBe('ledger-app');
    expect(within(group).getByRole('heading', { level: 3 }).textContent).toBe('ledger-app');
    const fact = (name: string) => within(group).getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(fact('cluster')).toBe('prod');
    expect(fact('state')).toBe('Stable');
    expect(fact('read')).toBe('2 s ago');
    expect(within(group).getByTestId(mapMarkers.groupLag).textContent).toBe('5 records');

    const members = within(group).getByTestId(mapMarkers.groupMembers);
    expect(members.textContent).toContain('ledger-1');
    expect(members.textContent).toContain('/10.0.0.7');
    expect(members.textContent).toContain('orders partitions 0, 1');

    const table = within(group).getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((c) => c.textContent),
    ).toEqual(['Partition', 'Committed', 'End offset', 'Lag']);
    const rows = within(group).getAllByTestId(mapMarkers.partitionRow);
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['0', '120', '123', '3'],
      ['1', '98', '100', '2'],
    ]);
    expect(table.querySelector('caption')?.textContent).toContain('lag 5 records');
  });

  it('draws the lag history as a line, with now, min and max in words', () => {
    render(<ConsumerGroupPanel service="ledger" groups={[ledgerGroup()]} onClose={() => undefined} now={NOW} />);
    const chart = screen.getByRole('img', { name: /lag history/i });
    expect(chart.getAttribute('aria-label')).toBe('Lag history, 3 readings over 20 s: now 5 records, min 0, max 12');
    const points = chart.querySelector('polyline')?.getAttribute('points')?.split(' ') ?? [];
    expect(points).toHaveLength(3);
    // The peak (12) is drawn highest, the zero lowest.
    const ys = points.map((p) => Number(p.split(',')[1]));
    expect(Math.min(...ys)).toBe(ys[1]);
    expect(Math.max(...ys)).toBe(ys[0]);
    const figures = screen.getByTestId(mapMarkers.groupSparkline).textContent;
    expect(figures).toContain('now 5');
    expect(figures).toContain('min 0');
    expect(figures).toContain('max 12');
  });

  it('reads well before anything is committed and without members', () => {
    const group = ledgerGroup({
      state: 'Empty',
      members: [],
      lag: null,
      history: [],
      topics: [
        {
          topic: 'orders',
          partitions: [{ partition: 0, committed: null, high: '40', lag: null }],
          lag: null,
          rate: 0,
        },
      ],
    });
    render(<ConsumerGroupPanel service="ledger" groups={[group]} onClose={() => undefined} now={NOW} />);
    expect(screen.getByTestId(mapMarkers.groupLag).textContent).toBe('no offsets committed yet');
    expect(screen.getByTestId(mapMarkers.groupMembers).textContent).toContain('No active members');
    expect(screen.getByText('No lag readings yet.')).toBeTruthy();
    const [row] = screen.getAllByTestId(mapMarkers.partitionRow);
    expect([...(row?.children ?? [])].map((c) => c.textContent)).toEqual(['0', 'none', '40', 'unknown']);
  });

  it('lists every group of the service and flags a large lag', () => {
    const behind = ledgerGroup({ groupId: 'ledger-replay', lag: 25_000 });
    render(
      <ConsumerGroupPanel service="ledger" groups={[ledgerGroup(), behind]} onClose={() => undefined} now={NOW} />,
    );
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('2 consumer groups of ledger');
    const groups = screen.getAllByTestId(mapMarkers.group);
    expect(groups.map((g) => g.getAttribute('data-group-id'))).toEqual(['ledger-app', 'ledger-replay']);
    const lag = within(groups[1]!).getByTestId(mapMarkers.groupLag);
    expect(lag.textContent).toBe('25,000 records');
    expect(lag.className).toContain('fs-lag--warn');
  });

  it('closes with its button and with Esc, but leaves Esc in a text field alone', () => {
    const onClose = vi.fn();
    render(
      <>
        <input aria-label="filter" />
        <ConsumerGroupPanel service="ledger" groups={[ledgerGroup()]} onClose={onClose} now={NOW} />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: /close consumer groups/i }));
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'filter' }), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('renders group data as text, never as markup', () => {
    const { container } = render(
      <ConsumerGroupPanel
        service="ledger"
        groups={[ledgerGroup({ groupId: '<img src=x onerror=alert(1)>' })]}
        onClose={() => undefined}
        now={NOW}
      />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId(mapMarkers.group).textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
