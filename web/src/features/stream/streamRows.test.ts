import { describe, expect, it } from 'vitest';
import type { LiveItem, StreamGap } from '../../stores/liveStore';
import { makeEvent } from '../../test/events';
import { FILTER_EXAMPLES } from './FilterHelp';
import {
  compileQuery,
  filterRows,
  looksLikeExpression,
  mergeRows,
  parseFilterMode,
  parseNodeFilter,
  type FilterMode,
  type NodeFilter,
} from './streamRows';

const by = (text: string, mode: FilterMode = 'text', node: NodeFilter | null = null) => ({
  query: compileQuery(text, mode),
  node,
});

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
    expect(ids(filterRows(rows, by('PAYMENT.FAILED')))).toEqual([1, 'gap-1']);
    expect(ids(filterRows(rows, by('k-77')))).toEqual([2, 'gap-1']);
    expect(ids(filterRows(rows, by('<b>world')))).toEqual([3, 'gap-1']);
    // Regex syntax is just text.
    expect(ids(filterRows(rows, by('.*')))).toEqual(['gap-1']);
  });

  it('filters to a map node: a channel, or what a service produced', () => {
    const channel = parseNodeFilter('channel:demo/shop/payments');
    const service = parseNodeFilter('service:order-service');
    expect(channel).toEqual({ id: 'channel:demo/shop/payments', kind: 'channel', name: 'payments' });
    expect(ids(filterRows(rows, by('', 'text', channel)))).toEqual([1, 'gap-1']);
    expect(ids(filterRows(rows, by('', 'text', service)))).toEqual([2, 3, 'gap-1']);
  });

  it('keeps channel names with slashes whole', () => {
    expect(parseNodeFilter('channel:rabbitmq/prod/orders/eu')?.name).toBe('orders/eu');
  });
});

describe('filter modes', () => {
  it('suggests expression mode only for text with operators or a call', () => {
    for (const text of ['channel == "x"', 'a != b', 'x && y', 'x || y', 'size >= 2', 'size <= 2', 'has(payload.x)']) {
      expect(looksLikeExpression(text), text).toBe(true);
    }
    for (const text of ['order.placed', 'payment-service', 'A-1001', 'amount > 100', '']) {
      expect(looksLikeExpression(text), text).toBe(false);
    }
  });

  it('reads the mode from the URL, defaulting to text', () => {
    expect(parseFilterMode('expr')).toBe('expr');
    expect(parseFilterMode(null)).toBe('text');
    expect(parseFilterMode('regex')).toBe('text');
  });

  it('treats a blank box as no filter in either mode', () => {
    expect(compileQuery('  ', 'text')).toEqual({ kind: 'all' });
    expect(compileQuery('', 'expr')).toEqual({ kind: 'all' });
  });

  it('keeps text mode a plain substring search, even for text that looks like an expression', () => {
    const rows = [makeEvent({ seq: 1, channel: 'payments' })];
    expect(compileQuery('channel == "payments"', 'text').kind).toBe('text');
    expect(filterRows(rows, by('channel == "payments"'))).toEqual([]);
  });
});

describe('expression filter', () => {
  const json = (value: unknown) => ({ encoding: 'json' as const, value: JSON.stringify(value) });
  const rows: LiveItem[] = [
    makeEvent({
      seq: 1,
      channel: 'payments',
      type: 'payment.authorized',
      payload: json({ paymentId: 'P1', amount: 250 }),
    }),
    makeEvent({ seq: 2, channel: 'payments', type: 'payment.failed', payload: json({ paymentId: 'P2', amount: 40 }) }),
    makeEvent({ seq: 3, channel: 'orders', type: 'order.placed', payload: json({ orderId: 'A-1003', amount: 900 }) }),
    { kind: 'gap', id: 'gap-1', skipped: 3, cause: 'skipped', at: 0 } satisfies StreamGap,
  ];
  const expr = (source: string, node: NodeFilter | null = null) => ids(filterRows(rows, by(source, 'expr', node)));

  it('shows only the events the expression matches, keeping gaps', () => {
    expect(expr('channel == "payments" && payload.amount > 100')).toEqual([1, 'gap-1']);
    expect(expr('type.startsWith("order.")')).toEqual([3, 'gap-1']);
    expect(expr('has(payload.paymentId)')).toEqual([1, 2, 'gap-1']);
    expect(expr('headers["Correlation-Id"] == "c-2"')).toEqual([2, 'gap-1']);
    expect(expr('keys.orderId == "A-1003"')).toEqual([3, 'gap-1']);
  });

  it('combines with the map node filter', () => {
    expect(expr('payload.amount > 100', parseNodeFilter('channel:demo/shop/orders'))).toEqual([3, 'gap-1']);
  });

  it('counts an expression that fails on an event as no match, without throwing', () => {
    expect(expr('int(payload.paymentId) > 1')).toEqual(['gap-1']);
  });

  it('reports a syntax error with its position instead of throwing, and filters nothing by it', () => {
    const query = compileQuery('channel == ', 'expr');
    expect(query.kind).toBe('invalid');
    if (query.kind !== 'invalid') return;
    expect(query.error).toMatchObject({ line: 1, column: 11 });
    expect(query.error.message).toContain('column 11');
    expect(query.error.excerpt).toBe('channel == \n          ^');
    expect(filterRows(rows, { query, node: null })).toBe(rows);
  });

  it('rejects comparisons that can never be true, with a hint', () => {
    const query = compileQuery('channel == 5', 'expr');
    expect(query.kind === 'invalid' && query.error.message).toContain('string(…)');
  });

  it('offers examples in the help that compile', () => {
    for (const example of FILTER_EXAMPLES) expect(compileQuery(example, 'expr').kind, example).toBe('expr');
  });
});
