import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSchemaAccumulator, inferredSchema, jsonTypeOf, observeSchema } from './schemaInference.js';

describe('inferred JSON Schema', () => {
  it('tells required from optional fields, infers enums for low-cardinality strings, and keeps examples', () => {
    const acc = createSchemaAccumulator();
    for (let i = 0; i < 20; i++) {
      observeSchema(
        acc,
        {
          orderId: `A-${i}`,
          status: ['NEW', 'PAID'][i % 2],
          total: i + 0.5,
          items: [{ sku: `S${i}`, quantity: 1 }],
          ...(i % 3 === 0 ? { coupon: 'WELCOME' } : {}),
        },
        1000 + i,
      );
    }
    const { schema, samples } = inferredSchema(acc);
    expect(samples).toBe(20);
    expect(schema).toMatchObject({
      type: 'object',
      required: ['items', 'orderId', 'status', 'total'],
      properties: {
        orderId: { type: 'string', examples: ['A-0', 'A-1', 'A-2'] },
        status: { type: 'string', enum: ['NEW', 'PAID'] },
        total: { type: 'number' },
        coupon: { type: 'string' },
        items: { type: 'array', items: { type: 'object', required: ['quantity', 'sku'] } },
      },
    });
    expect((schema.properties as Record<string, Record<string, unknown>>).orderId?.enum).toBeUndefined();
  });

  it('records when a field appeared and when a type changed (schema drift)', () => {
    const acc = createSchemaAccumulator();
    observeSchema(acc, { id: 1, amount: 10 }, 100);
    observeSchema(acc, { id: 2, amount: 11 }, 200);
    observeSchema(acc, { id: 3, amount: 10.5 }, 250); // integer then number: the same JSON type, no drift
    observeSchema(acc, { id: 3, amount: '12.00', currency: 'EUR' }, 300, { producer: 'billing', eventId: 'e4' });
    const { schema, drift } = inferredSchema(acc);
    const by = { showing: 1, producer: 'billing', eventId: 'e4' };
    expect(drift).toEqual([
      { at: 300, path: 'amount', change: 'type integer|number → also string', kind: 'type-changed', ...by },
      { at: 300, path: 'currency', change: 'new field', kind: 'field-added', ...by },
    ]);
    expect(schema.properties).toMatchObject({
      amount: { type: ['number', 'string'] },
      currency: { 'x-firstSeenAt': 300 },
    });
    expect((schema.properties as Record<string, Record<string, unknown>>).id?.['x-firstSeenAt']).toBeUndefined();
    expect(schema.required).toEqual(['amount', 'id']);
  });

  it('takes a field that was only null being filled in as no change of type', () => {
    const acc = createSchemaAccumulator();
    for (let i = 0; i < 3; i++) observeSchema(acc, { id: i, shippedAt: null }, i);
    observeSchema(acc, { id: 3, shippedAt: '2026-11-28T10:00:00Z' }, 3);
    observeSchema(acc, { id: 4, shippedAt: 5 }, 4);
    expect(inferredSchema(acc).drift.map((d) => d.change)).toEqual(['type null|string → also integer']);
  });

  it('records a field every earlier payload had going missing, once, after enough payloads to call it required', () => {
    const acc = createSchemaAccumulator();
    // `note` is missing from the fifth payload: never taken as required, its absence no change.
    for (let i = 0; i < 120; i++)
      observeSchema(acc, i === 4 ? { id: i, carrier: 'DHL' } : { id: i, carrier: 'DHL', note: 'x' }, i);
    observeSchema(acc, { id: 99, note: 'x' }, 200, { producer: 'shipping-v2' });
    observeSchema(acc, { id: 100 }, 201, { producer: 'shipping-v2' });
    expect(inferredSchema(acc).drift).toEqual([
      {
        at: 200,
        path: 'carrier',
        change: 'required field missing (it was in all 120 before)',
        kind: 'field-missing',
        showing: 2,
        producer: 'shipping-v2',
      },
    ]);
    expect(inferredSchema(acc).schema.required).toEqual(['id']);
  });

  it('accepts every JSON value, and every sample it saw conforms to the types it states', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 20 }), (values) => {
        const acc = createSchemaAccumulator();
        values.forEach((v, i) => observeSchema(acc, v, i));
        const { schema } = inferredSchema(acc);
        const stated = ([] as string[]).concat((schema.type as string | string[] | undefined) ?? []);
        for (const v of values) {
          const t = jsonTypeOf(v);
          expect(stated.includes(t) || (t === 'integer' && stated.includes('number'))).toBe(true);
        }
      }),
    );
  });

  it('stays bounded on a payload with thousands of fields', () => {
    const acc = createSchemaAccumulator();
    observeSchema(acc, Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, i])), 1);
    expect(Object.keys(inferredSchema(acc).schema.properties as object)).toHaveLength(200);
    expect(acc.dropped).toBe(4800);
  });
});
