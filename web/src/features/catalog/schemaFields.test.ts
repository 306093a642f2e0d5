import { createSchemaAccumulator, inferredSchema, observeSchema } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { schemaFields } from './schemaFields';

const T0 = 1_700_000_000_000;

/** A schema inferred the way the server does it, from payloads seen over time. */
function inferred(payloads: readonly unknown[]) {
  const acc = createSchemaAccumulator();
  payloads.forEach((p, i) => observeSchema(acc, p, T0 + i * 1000));
  return inferredSchema(acc).schema;
}

describe('schema fields', () => {
  const orders = Array.from({ length: 12 }, (_, i) => ({
    orderId: `A-${i}`,
    status: i % 2 ? 'placed' : 'confirmed',
    total: 10 + i,
    items: [{ sku: 'MUG', quantity: i }],
    ...(i >= 6 ? { coupon: 'SPRING' } : {}),
  }));
  const rows = schemaFields(inferred(orders));
  const row = (path: string) => rows.find((r) => r.path === path);

  it('lists nested fields and array items with paths, in property order', () => {
    expect(rows.map((r) => r.path)).toEqual([
      'coupon',
      'items',
      'items[].quantity',
      'items[].sku',
      'orderId',
      'status',
      'total',
    ]);
    expect(row('items[].sku')?.depth).toBe(1);
    expect(row('items')?.types).toEqual(['array']);
    expect(row('total')?.types).toEqual(['integer']);
  });

  it('tells required from optional fields', () => {
    expect(row('orderId')?.required).toBe(true);
    expect(row('coupon')?.required).toBe(false);
  });

  it('shows enum values for strings that took few values, examples otherwise', () => {
    expect(row('status')?.enumValues).toEqual(['confirmed', 'placed']);
    expect(row('orderId')?.enumValues).toEqual([]);
    expect(row('orderId')?.examples).toEqual(['"A-0"', '"A-1"', '"A-2"']);
  });

  it('says when a field appeared after the first payload', () => {
    expect(row('coupon')?.firstSeenAt).toBe(T0 + 6000);
    expect(row('orderId')?.firstSeenAt).toBeNull();
  });

  it('a payload that is not an object is one root row; junk gives no rows', () => {
    expect(schemaFields(inferred(['a', 'b'])).map((r) => [r.path, r.types])).toEqual([['(root)', ['string']]]);
    expect(schemaFields(null)).toEqual([]);
    expect(schemaFields({ properties: 'nope' })).toEqual([]);
  });
});
