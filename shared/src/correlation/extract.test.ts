import { describe, expect, it } from 'vitest';
import { extractCorrelation, parseTraceparent } from './extract.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('extractCorrelation', () => {
  it('reads a correlation-id header, whatever its case', () => {
    const { correlation } = extractCorrelation({ channel: 'orders', headers: { 'X-Correlation-ID': 'c-1' } });
    expect(correlation.keys).toEqual([{ name: 'correlationId', value: 'c-1' }]);
  });

  it('takes the trace id and span id from a W3C traceparent', () => {
    const { correlation } = extractCorrelation({
      channel: 'payments',
      headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
    });
    expect(correlation.traceId).toBe(TRACE);
    expect(correlation.spanId).toBe('00f067aa0ba902b7');
    expect(correlation.keys).toContainEqual({ name: 'traceId', value: TRACE });
  });

  it('ignores a malformed or all-zero traceparent instead of inventing a trace', () => {
    expect(parseTraceparent('00-nothex-00f067aa0ba902b7-01')).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
  });

  it('names the producer from a configured header first, then the conventions', () => {
    const input = { channel: 'payments', headers: { 'X-Emitted-By': 'ledger', producer: 'proxy' } };
    expect(extractCorrelation(input, undefined, ['x-emitted-by']).producer).toBe('ledger');
    expect(extractCorrelation(input).producer).toBe('proxy');
    expect(
      extractCorrelation({ channel: 'p', headers: { producer: 'proxy' } }, undefined, ['x-emitted-by']).producer,
    ).toBe('proxy');
  });

  it('reads CloudEvents binary headers for type, producer and message id', () => {
    const out = extractCorrelation({
      channel: 'payments',
      headers: { ce_id: 'm-1', ce_source: 'payment-service', ce_type: 'payment.authorized', 'causation-id': 'm-0' },
      json: { orderId: 'A-1', paymentId: 'P-9' },
    });
    expect(out.type).toBe('payment.authorized');
    expect(out.producer).toBe('payment-service');
    expect(out.correlation.messageId).toBe('m-1');
    expect(out.correlation.causationId).toBe('m-0');
    expect(out.correlation.keys).toEqual([
      { name: 'orderId', value: 'A-1' },
      { name: 'paymentId', value: 'P-9' },
    ]);
  });

  it("takes a NATS publish's Nats-Msg-Id (JetStream's deduplication id) as its message id, after CloudEvents' ce-id", () => {
    const nats = (headers: Record<string, string>) => extractCorrelation({ channel: 'ORDERS', headers }).correlation;
    expect(nats({ 'Nats-Msg-Id': 'order-A-1-created' }).messageId).toBe('order-A-1-created');
    expect(nats({ 'Nats-Msg-Id': 'n-1', 'ce-id': 'e-1', 'ce-type': 'order.created' }).messageId).toBe('e-1');
  });

  it('reads a structured CloudEvent from the payload, including keys inside data', () => {
    const out = extractCorrelation({
      channel: 'shipments',
      headers: {},
      json: {
        specversion: '1.0',
        id: 'e-7',
        source: 'shipping-service',
        type: 'shipment.created',
        data: { orderId: 'A-2' },
      },
    });
    expect(out).toMatchObject({ type: 'shipment.created', producer: 'shipping-service' });
    expect(out.correlation.messageId).toBe('e-7');
    expect(out.correlation.keys).toEqual([{ name: 'orderId', value: 'A-2' }]);
  });

  it('applies channel-scoped rules only on matching channels', () => {
    const rules = [{ name: 'customer', from: 'key' as const, path: '', channel: 'customers.*' }];
    const key = { encoding: 'text' as const, value: 'C-1' };
    expect(extractCorrelation({ channel: 'customers.v1', headers: {}, key }, rules).correlation.keys).toEqual([
      { name: 'customer', value: 'C-1' },
    ]);
    expect(extractCorrelation({ channel: 'orders', headers: {}, key }, rules).correlation.keys).toEqual([]);
  });

  it('finds nothing in a payload that is not an object, and does not throw', () => {
    expect(extractCorrelation({ channel: 'x', headers: {}, json: [1, 2] }).correlation.keys).toEqual([]);
    expect(extractCorrelation({ channel: 'x', headers: {}, json: null }).correlation.keys).toEqual([]);
  });
});
