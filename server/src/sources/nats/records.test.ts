import { describe, expect, it } from 'vitest';
import { chooseStreams } from './selection.js';
import { ackRecord, coreRecord, kvRecord, streamEventId, streamRecord, type Headers } from './records.js';
import { removedGap } from './streamReader.js';
import { parseAck } from './subjects.js';

const headers = (h: Record<string, string[]>): Headers => ({ keys: () => Object.keys(h), values: (k) => h[k] ?? [] });
const bytes = (s: string) => new TextEncoder().encode(s);

describe('NATS records', () => {
  it('keeps a stream message by stream and sequence, with its subject as key and headers as sent', () => {
    const r = streamRecord('ORDERS', {
      subject: 'orders.created',
      seq: 42,
      timestamp: 1_700_000_000_123,
      data: bytes('{"orderId":"A-1"}'),
      headers: headers({ 'Nats-Msg-Id': ['m-1'], traceparent: ['00-abc'], 'X-Tag': ['a', 'b'] }),
    });
    expect(r).toMatchObject({ channel: 'ORDERS', offset: '42', key: 'orders.created', timestamp: 1_700_000_000_123 });
    expect(r.headers).toEqual({ 'Nats-Msg-Id': 'm-1', traceparent: '00-abc', 'X-Tag': ['a', 'b'] });
    expect(streamEventId('prod', 'ORDERS', 42)).toBe('nats/prod/ORDERS/0/42');
  });

  it('passes an empty core message on as no payload, and says who waits for a reply', () => {
    const r = coreRecord({ subject: 'inventory.lookup', data: new Uint8Array(0), reply: '_INBOX.x.1' }, 'tap-1', 5);
    expect(r).toEqual({
      channel: 'inventory.lookup',
      messageId: 'tap-1',
      timestamp: 5,
      headers: { 'nats.reply': '_INBOX.x.1' },
      value: null,
    });
  });

  it('shows a KV change as state: key, revision and operation', () => {
    const base = { seq: 7, timestamp: 1, data: new Uint8Array(0) };
    const del = kvRecord('cfg', {
      ...base,
      subject: '$KV.cfg.limits.eu',
      headers: headers({ 'KV-Operation': ['DEL'] }),
    });
    expect(del).toMatchObject({
      channel: 'kv:cfg',
      key: 'limits.eu',
      offset: '7',
      headers: { 'nats.kv-operation': 'DEL' },
    });
    const put = kvRecord('cfg', { ...base, subject: '$KV.cfg.limits.eu', data: bytes('1') });
    expect(put.headers).toEqual({ 'nats.kv-operation': 'PUT' });
  });

  it("joins an ack to the acknowledged message's event by causation", () => {
    const ack = parseAck('$JS.ACK.ORDERS.billing.1.42.9.1795715214762997811.0');
    if (!ack) throw new Error('not an ack');
    const r = ackRecord(ack, bytes('-NAK'), 'prod', 'tap-9', 10);
    expect(r).toMatchObject({
      channel: '$JS.ACK.ORDERS.billing',
      headers: { 'causation-id': 'nats/prod/ORDERS/0/42', 'nats.ack': 'nak', type: 'jetstream.nak' },
    });
  });

  it('counts messages removed before they were read', () => {
    expect(removedGap('ORDERS', 5, 5)).toBeUndefined();
    expect(removedGap('ORDERS', 3, 8)).toMatchObject({
      channel: 'ORDERS',
      reason: 'trimmed',
      fromOffset: '3',
      untilOffset: '7',
    });
    expect(removedGap('ORDERS', 3, 4)?.detail).toMatch(/^ORDERS: 1 message \(sequence 3\)/);
  });

  it('reads application streams, KV buckets only when asked, object stores and unnamed copies never', () => {
    const info = (name: string, more: object = {}) => ({
      config: { name, subjects: [`${name}.>`], retention: 'limits', ...more },
    });
    const infos = [
      info('ORDERS'),
      info('JOBS', { retention: 'workqueue' }),
      info('KV_cfg'),
      info('OBJ_files'),
      info('ORDERS_COPY', { mirror: { name: 'ORDERS' } }),
    ] as never[];
    expect(chooseStreams(infos, { streams: ['*'] }).chosen.map((c) => [c.name, c.retention])).toEqual([
      ['JOBS', 'workqueue'],
      ['ORDERS', 'limits'],
    ]);
    const withKv = chooseStreams(infos, { streams: ['ORDERS', 'ORDERS_COPY', 'NOPE'], kv: ['cfg', 'other'] });
    expect(withKv.chosen.map((c) => [c.name, c.bucket])).toEqual([
      ['ORDERS', undefined],
      ['ORDERS_COPY', undefined],
      ['KV_cfg', 'cfg'],
    ]);
    expect(withKv.missing).toEqual(['NOPE', 'KV bucket other']);
  });
});
