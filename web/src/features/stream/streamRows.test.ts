import { describe, expect, it } from 'vitest';
import type { LiveItem, StreamGap } from '../../stores/liveStore';
import { makeEvent } from '../../test/events';
import { filterRows, mergeRows, parseNodeFilter } from './streamRows';

const ids = (rows: readonly LiveItem[]) => rows.map((r) => ('kind' in r ? r.id : r.seq));

describe('mergeRows', () => {
  it('puts the newest first and older history below the live events, without duplicates', () => {
    const live = [makeEvent({ seq: 10 }), makeEvent({ seq: 11 })];
    const history = [makeEvent({ seq: 10 }), makeEvent({ seq: 9 }), makeEvent({ seq: 8 })];
    expect(ids(mergeRows(live, history, 0))).toEqual([11, 10, 9, 8]);
  });

  it('leaves history out once live events were dropped, so no hole hides between them', () => {
    expect(ids(mergeRows([makeEvent({ seq: 10 })], [makeEvent({ seq: 2 })], 5))).toEqual([10]);
  });
});

describe('filterRows', () => {
  const rows: LiveItem[] = [
    makeEvent({ seq: 1, channel: 'payments', producer: 'payment-service', type: 'payment.failed' }),
    makeEvent({ seq: 2, key: { encoding: 'text', value: 'K-77' } }),
    makeEvent({ seq: 3, payload: { encoding: 'text', value: 'hello <b>World</b>' } }),
    { kind: 'gap', id: 'gap-1', skipped: 3, cause: 'skipped', at: 0 } satisfies StreamGap,
  ];

  it('matches plain substrings, case-insensitively, across fields and payload text', () => {
    expect(ids(filterRows(rows, { text: 'PAYMENT.FAILED', node: null }))).toEqual([1, 'gap-1']);
    expect(ids(filterRows(rows, { text: 'k-77', node: null }))).toEqual([2, 'gap-1']);
    expect(ids(filterRows(rows, { text: '<b>world', node: null }))).toEqual([3, 'gap-1']);
    // Regex syntax is just text.
    expect(ids(filterRows(rows, { text: '.*', node: null }))).toEqual(['gap-1']);
  });

  it('filters to a map node: a channel, or what a service produced', () => {
    const channel = parseNodeFilter('channel:demo/shop/payments');
    const service = parseNodeFilter('service:order-service');
    expect(channel).toEqual({ id: 'channel:demo/shop/payments', kind: 'channel', name: 'payments' });
    expect(ids(filterRows(rows, { text: '', node: channel }))).toEqual([1, 'gap-1']);
    expect(ids(filterRows(rows, { text: '', node: service }))).toEqual([2, 3, 'gap-1']);
  });

  it('keeps channel names with slashes whole', () => {
    expect(parseNodeFilter('channel:rabbitmq/prod/orders/eu')?.name).toBe('orders/eu');
  });
});
