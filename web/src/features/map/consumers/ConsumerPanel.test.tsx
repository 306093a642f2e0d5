import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mapMarkers } from '../map.markers';
import { billingQueue, ledgerGroup } from '../topology.fixtures';
import { ConsumerPanel } from './ConsumerPanel';

afterEach(cleanup);

const NOW = 32_000;

const fact = (within_: HTMLElement, name: string) =>
  within(within_).getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;

describe('ConsumerPanel', () => {
  it('shows a Kafka consumer group, its members and the lag of every partition', () => {
    render(<ConsumerPanel service="ledger" consumers={[ledgerGroup()]} onClose={() => undefined} now={NOW} />);
    const panel = screen.getByRole('complementary', { name: /consumer group of ledger/i });
    const group = within(panel).getByTestId(mapMarkers.consumer);
    expect(group.getAttribute('data-consumer-id')).toBe('ledger-app');
    expect(within(group).getByRole('heading', { level: 3 }).textContent).toBe('ledger-app');
    expect(fact(group, 'kind')).toBe('Kafka consumer group');
    expect(fact(group, 'cluster')).toBe('prod');
    expect(fact(group, 'state')).toBe('Stable');
    expect(fact(group, 'read')).toBe('2 s ago');
    expect(within(group).getByTestId(mapMarkers.consumerLag).textContent).toBe('5 records');
    expect(within(group).queryByTestId(mapMarkers.consumerLagAge)).toBeNull();
    expect(within(group).queryByTestId(mapMarkers.consumerUnacked)).toBeNull();

    const members = within(group).getByTestId(mapMarkers.consumerMembers);
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

  it('shows a RabbitMQ queue: lag in messages and in time, unacked, its consumer, and no partition table', () => {
    render(<ConsumerPanel service="billing" consumers={[billingQueue()]} onClose={() => undefined} now={NOW} />);
    const panel = screen.getByRole('complementary', { name: /^queue of billing/i });
    const queue = within(panel).getByTestId(mapMarkers.consumer);
    expect(queue.getAttribute('data-consumer-kind')).toBe('queue');
    expect(fact(queue, 'kind')).toBe('RabbitMQ queue');
    expect(fact(queue, 'state')).toBe('running');
    expect(within(queue).getByTestId(mapMarkers.consumerLag).textContent).toBe('42 messages');
    expect(within(queue).getByTestId(mapMarkers.consumerLagAge).textContent).toBe('oldest waiting 1 min 35 s');
    expect(within(queue).getByTestId(mapMarkers.consumerUnacked).textContent).toBe('3 unacked');

    expect(within(queue).queryByRole('table')).toBeNull();
    expect(within(queue).queryAllByTestId(mapMarkers.partitionRow)).toHaveLength(0);
    const channel = within(queue).getByTestId(mapMarkers.consumerChannel);
    expect(channel.getAttribute('data-channel')).toBe('billing-jobs');
    expect(channel.textContent).toContain('lag 42 messages');
    expect(channel.textContent).toContain('3 unacked');
    expect(channel.textContent).toContain('1.5/s consumed');

    // Nothing was delivered twice: no redelivery count to worry about.
    expect(channel.textContent).not.toContain('redelivered');

    const members = within(queue).getByTestId(mapMarkers.consumerMembers);
    expect(members.textContent).toContain('billing-worker-1');
    expect(members.textContent).not.toContain('partitions');
    expect(screen.getByRole('img', { name: /lag history/i }).getAttribute('aria-label')).toContain('now 42 messages');
  });

  it('shows an SQS queue with its depth and says why its messages are not shown and how to see them', () => {
    const queue = {
      ...billingQueue(),
      broker: 'sqs' as const,
      id: 'billing-jobs',
      members: [],
      channels: [{ channel: 'billing-jobs', lag: 7, lagSeconds: 120, unacked: 2, rate: 0 }],
      lag: 7,
    };
    render(<ConsumerPanel service="billing" consumers={[queue]} onClose={() => undefined} now={NOW} />);
    const view = screen.getByTestId(mapMarkers.consumer);
    expect(fact(view, 'kind')).toBe('SQS queue');
    expect(within(view).getByTestId(mapMarkers.consumerLag).textContent).toBe('7 messages');
    expect(within(view).getByTestId(mapMarkers.consumerLagAge).textContent).toBe('oldest waiting 2 min');
    expect(view.textContent).toContain('Messages of an SQS queue are not shown');
    expect(view.textContent).toContain('tap the SNS topic or EventBridge bus that feeds it');
    cleanup();
    render(
      <ConsumerPanel
        service="billing"
        consumers={[{ ...queue, kind: 'subscription' }]}
        onClose={() => undefined}
        now={NOW}
      />,
    );
    expect(fact(screen.getByTestId(mapMarkers.consumer), 'kind')).toBe('SNS subscription');
    expect(screen.getByTestId(mapMarkers.consumer).textContent).not.toContain('not shown');
  });

  it('draws the lag history as a line, with now, min and max in words', () => {
    render(<ConsumerPanel service="ledger" consumers={[ledgerGroup()]} onClose={() => undefined} now={NOW} />);
    const chart = screen.getByRole('img', { name: /lag history/i });
    expect(chart.getAttribute('aria-label')).toBe('Lag history, 3 readings over 20 s: now 5 records, min 0, max 12');
    const points = chart.querySelector('polyline')?.getAttribute('points')?.split(' ') ?? [];
    expect(points).toHaveLength(3);
    // The peak (12) is drawn highest, the zero lowest.
    const ys = points.map((p) => Number(p.split(',')[1]));
    expect(Math.min(...ys)).toBe(ys[1]);
    expect(Math.max(...ys)).toBe(ys[0]);
    const figures = screen.getByTestId(mapMarkers.consumerSparkline).textContent;
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
      channels: [
        {
          channel: 'orders',
          partitions: [{ partition: 0, committed: null, high: '40', lag: null }],
          lag: null,
          rate: 0,
        },
      ],
    });
    render(<ConsumerPanel service="ledger" consumers={[group]} onClose={() => undefined} now={NOW} />);
    expect(screen.getByTestId(mapMarkers.consumerLag).textContent).toBe('no offsets committed yet');
    expect(screen.getByTestId(mapMarkers.consumerMembers).textContent).toContain(
      'No active members: nobody in this group is consuming right now.',
    );
    expect(screen.getByText('No lag readings yet.')).toBeTruthy();
    const [row] = screen.getAllByTestId(mapMarkers.partitionRow);
    expect([...(row?.children ?? [])].map((c) => c.textContent)).toEqual(['0', 'none', '40', 'unknown']);
  });

  it('says when another broker has not reported a lag, and when a queue has no consumer', () => {
    const idle = billingQueue({
      members: [],
      lag: null,
      channels: [{ channel: 'billing-jobs', lag: null, rate: 0 }],
    });
    render(<ConsumerPanel service="billing" consumers={[idle]} onClose={() => undefined} now={NOW} />);
    expect(screen.getByTestId(mapMarkers.consumerLag).textContent).toBe('not reported by the broker');
    expect(screen.getByTestId(mapMarkers.consumerMembers).textContent).toContain(
      'nobody consumes from this queue right now',
    );
  });

  it('lists every consumer of the service and flags a large lag', () => {
    const behind = ledgerGroup({ id: 'ledger-replay', lag: 25_000 });
    render(<ConsumerPanel service="ledger" consumers={[ledgerGroup(), behind]} onClose={() => undefined} now={NOW} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('2 consumer groups of ledger');
    const groups = screen.getAllByTestId(mapMarkers.consumer);
    expect(groups.map((g) => g.getAttribute('data-consumer-id'))).toEqual(['ledger-app', 'ledger-replay']);
    const lag = within(groups[1]!).getByTestId(mapMarkers.consumerLag);
    expect(lag.textContent).toBe('25,000 records');
    expect(lag.className).toContain('fs-lag--warn');
  });

  it('titles a service with consumers of several kinds by their number', () => {
    render(
      <ConsumerPanel
        service="billing"
        consumers={[ledgerGroup({ service: 'billing' }), billingQueue()]}
        onClose={() => undefined}
        now={NOW}
      />,
    );
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('2 consumers of billing');
  });

  it('closes with its button and with Esc, but leaves Esc in a text field alone', () => {
    const onClose = vi.fn();
    render(
      <>
        <input aria-label="filter" />
        <ConsumerPanel service="ledger" consumers={[ledgerGroup()]} onClose={onClose} now={NOW} />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: /close consumers/i }));
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'filter' }), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('renders consumer data as text, never as markup', () => {
    const { container } = render(
      <ConsumerPanel
        service="ledger"
        consumers={[ledgerGroup({ id: '<img src=x onerror=alert(1)>' })]}
        onClose={() => undefined}
        now={NOW}
      />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId(mapMarkers.consumer).textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('shows how many messages a JetStream durable got again (redelivered), beside pending and ack-pending', () => {
    const durable = billingQueue({
      source: 'nats:shop',
      broker: 'nats',
      kind: 'durable',
      id: 'billing-worker',
      channels: [{ channel: 'BILLING', lag: 4, rate: 0.5, unacked: 2, redelivered: 7 }],
      lag: 4,
    });
    render(<ConsumerPanel service="billing" consumers={[durable]} onClose={() => undefined} now={NOW} />);
    const channel = screen.getByTestId(mapMarkers.consumerChannel);
    expect(channel.textContent).toContain('2 unacked');
    expect(within(channel).getByText('7 redelivered')).toBeTruthy();
  });
});
