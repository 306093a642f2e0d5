import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events';
import { foldEntity } from './entityFold';

const json = (seq: number, type: string, body: unknown, at = 1_000 * seq) =>
  makeEvent({ seq, type, timestamp: at as never, payload: { encoding: 'json', value: JSON.stringify(body) } });

describe('foldEntity', () => {
  it('folds later fields over earlier ones, object by object, with each step’s change', () => {
    const steps = foldEntity([
      json(1, 'order.placed', { orderId: 'A-1', status: 'placed', total: 10, address: { city: 'Oslo', zip: '0150' } }),
      json(2, 'order.paid', { status: 'paid', paymentId: 'P-1' }),
      json(3, 'order.moved', { address: { city: 'Bergen' } }),
    ]);
    expect(steps.map((s) => s.state)).toEqual([
      { orderId: 'A-1', status: 'placed', total: 10, address: { city: 'Oslo', zip: '0150' } },
      { orderId: 'A-1', status: 'paid', total: 10, address: { city: 'Oslo', zip: '0150' }, paymentId: 'P-1' },
      { orderId: 'A-1', status: 'paid', total: 10, address: { city: 'Bergen', zip: '0150' }, paymentId: 'P-1' },
    ]);
    expect(steps[1]?.changes.map((c) => [c.path, c.change])).toEqual([
      ['status', 'changed'],
      ['paymentId', 'added'],
    ]);
    expect(steps[2]?.changes).toEqual([{ path: 'address.city', change: 'changed', before: 'Oslo', after: 'Bergen' }]);
    expect(steps.every((s) => s.stale.length === 0)).toBe(true);
  });

  it('marks a step that sets a field back to a value the entity had left: a read model behind its events', () => {
    const steps = foldEntity([
      json(1, 'order.placed', { status: 'placed' }, 1_000),
      json(2, 'order.shipped', { status: 'shipped' }, 1_500),
      json(3, 'order-view.updated', { status: 'placed' }, 2_300),
    ]);
    expect(steps[2]?.stale).toEqual([{ path: 'status', supersededBy: steps[1]?.event.id, behindMs: 800 }]);
  });

  it('keeps the state through a payload that is not a JSON object, and says why', () => {
    const steps = foldEntity([
      json(1, 'order.placed', { status: 'placed' }),
      makeEvent({ seq: 2, payload: { encoding: 'text', value: 'hello' } }),
      json(3, 'order.listed', [1, 2]),
    ]);
    expect(steps[1]).toMatchObject({
      state: { status: 'placed' },
      changes: [],
      skipped: 'its payload is text, not JSON',
    });
    expect(steps[2]?.skipped).toBe('its payload is not a JSON object');
  });
});

describe('foldEntity on a payload nested past any call stack', () => {
  it('folds and diffs it without failing: below a depth the later value replaces the earlier whole', () => {
    const nested = (leaf: string) => `{"a":${'{"a":'.repeat(100_000)}${leaf}${'}'.repeat(100_000)}}`;
    const deep = (seq: number, leaf: string) =>
      makeEvent({ seq, type: 'deep', payload: { encoding: 'json', value: nested(leaf) } });
    const steps = foldEntity([deep(1, '1'), deep(2, '2')]);
    expect(steps).toHaveLength(2);
    expect(steps[1]?.changes).toHaveLength(1);
    expect(steps[1]?.changes[0]?.change).toBe('changed');
  });
});
