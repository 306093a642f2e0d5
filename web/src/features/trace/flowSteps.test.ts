import { stepOf } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { anomaliesByEvent, chosenBaseline, entityBaseline, pathRows } from './flowSteps';
import { deadLetteredOrder, happyOrder, makeFlow } from './trace.fixtures';

describe('entityBaseline', () => {
  it('compares order.confirmed with order.placed: same order, same channel', () => {
    const flow = happyOrder();
    const base = entityBaseline(flow.events, 3);
    expect(base?.event.type).toBe('order.placed');
    expect(base?.why).toBe('same-channel');
    expect(base?.shared.map((k) => k.name).sort()).toEqual(['correlationId', 'orderId']);
  });

  it('falls back to the closest earlier step sharing a key, and has none for the first step', () => {
    const flow = happyOrder();
    expect(entityBaseline(flow.events, 0)).toBeNull();
    expect(entityBaseline(flow.events, 1)?.event.type).toBe('order.placed');
    expect(entityBaseline(flow.events, 2)).toMatchObject({ index: 1, why: 'shared-key' });
  });

  it('compares a dead letter with the failure that was parked, from the same producer', () => {
    const flow = deadLetteredOrder();
    expect(entityBaseline(flow.events, 4)).toMatchObject({ index: 3, why: 'same-producer' });
    expect(entityBaseline(flow.events, 3)).toMatchObject({ index: 2, why: 'same-channel' });
  });

  it('skips earlier steps of another entity', () => {
    const flow = makeFlow([
      { type: 'a', channel: 'x', at: 0, keys: { orderId: 'A-1' } },
      { type: 'b', channel: 'y', at: 5, keys: { customerId: 'C-1' } },
      { type: 'c', channel: 'z', at: 9, keys: { orderId: 'A-1' } },
    ]);
    expect(entityBaseline(flow.events, 2)?.index).toBe(0);
    expect(entityBaseline(flow.events, 1)).toBeNull();
  });

  it('accepts an explicit earlier step only', () => {
    const flow = happyOrder();
    expect(chosenBaseline(flow.events, 3, flow.events[1]?.id ?? '')).toMatchObject({ index: 1, why: 'chosen' });
    expect(chosenBaseline(flow.events, 1, flow.events[3]?.id ?? '')).toBeNull();
  });
});

describe('pathRows', () => {
  it('lines actual steps up with the expected path and shows what is missing', () => {
    const flow = deadLetteredOrder();
    const rows = pathRows(flow.events, flow.expected);
    expect(rows.map((r) => `${r.status} ${r.step} ${r.index ?? '-'}`)).toEqual([
      'match order.placed@orders 0',
      'match inventory.reserved@inventory 1',
      'unexpected payment.failed@payments 2',
      'unexpected payment.failed@payments 3',
      'unexpected payment.failed@payments.dlq 4',
      'unexpected order.cancelled@orders 5',
      'missing payment.authorized@payments -',
      'missing order.confirmed@orders -',
    ]);
    expect(rows[6]?.expected).toEqual({ step: 'payment.authorized@payments', seen: false });
  });

  it('puts a repeated step under its template step', () => {
    const flow = happyOrder();
    const events = [...flow.events.slice(0, 3), flow.events[2], ...flow.events.slice(3)].filter((e) => e !== undefined);
    const expected = flow.events.map((e) => ({ step: stepOf(e), seen: true }));
    const rows = pathRows(events, expected);
    expect(rows.map((r) => r.status)).toEqual(['match', 'match', 'match', 'repeat', 'match', 'match', 'match']);
  });

  it('lists the events alone when no template was learned', () => {
    const flow = happyOrder();
    expect(pathRows(flow.events, undefined).map((r) => r.status)).toEqual(Array(6).fill('actual'));
  });
});

describe('anomaliesByEvent', () => {
  it('groups kinds per event without repeats', () => {
    const flow = deadLetteredOrder();
    expect(anomaliesByEvent(flow.anomalies).get(flow.events[4]?.id ?? '')).toEqual(['dead-lettered', 'failure']);
  });
});
