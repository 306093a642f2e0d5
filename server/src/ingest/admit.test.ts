import { INVALID_TIME_HEADER, epochMs } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import type { UnsequencedEvent } from '../sources/contract.js';
import { admitEvent } from './admit.js';
import { HEADERS_CUT_HEADER, MAX_HEADER_VALUE, MAX_HEADERS, MAX_NAME } from './caps.js';
import { compileMasks } from './mask.js';
import { normalizeRecord } from './normalize.js';

const NOW = 1_764_000_000_000;

const replayed = (over: Partial<UnsequencedEvent> = {}): UnsequencedEvent => {
  const value = JSON.stringify({ orderId: 'A-1', card: { number: '4111111111111111' }, total: 12 });
  return {
    id: 'kafka/c/payments/0/1',
    source: { broker: 'kafka', cluster: 'c' },
    channel: 'payments',
    timestamp: epochMs(NOW - 1000),
    receivedAt: epochMs(NOW - 900),
    key: { encoding: 'text', value: 'secret-key' },
    headers: { Authorization: 'Bearer abc', 'correlation-id': 'C-1' },
    correlation: {
      keys: [
        { name: 'orderId', value: 'A-1' },
        { name: 'card', value: '4111111111111111' },
      ],
    },
    payload: { encoding: 'json', value, size: value.length, truncated: false, sha256: 'x' },
    ...over,
  };
};

describe('an event from a replayed capture', () => {
  it('meets the masks: key, headers, payload fields, and the correlation values they held', () => {
    const masks = compileMasks([
      { target: 'payload', path: 'card.number' },
      { target: 'header', path: 'authorization' },
      { target: 'key', path: '' },
    ]);
    const e = admitEvent(replayed(), NOW, { maxPayloadBytes: 65_536, masks });
    expect(e.key).toEqual({ encoding: 'text', value: '[masked]' });
    expect(e.headers).toEqual({ Authorization: '[masked]', 'correlation-id': 'C-1' });
    expect(JSON.parse(e.payload.value)).toEqual({ orderId: 'A-1', card: { number: '[masked]' }, total: 12 });
    expect(e.payload.note).toBe('1 field masked by configuration');
    expect(e.correlation.keys).toEqual([{ name: 'orderId', value: 'A-1' }]);
    expect(JSON.stringify(e)).not.toMatch(/4111111111111111|Bearer abc|secret-key/);
  });

  it('has no lone surrogate in its id, names, key, headers or correlation: an address could not carry one', () => {
    const lone = 'x\uD800<b>\uDC00';
    const e = admitEvent(
      replayed({
        id: `kafka/c/${lone}/0/1`,
        channel: lone,
        type: lone,
        producer: lone,
        key: { encoding: 'text', value: lone },
        headers: { [lone]: lone },
        correlation: { keys: [{ name: 'orderId', value: lone }], messageId: lone, causationId: lone },
      }),
      NOW,
      { maxPayloadBytes: 65_536 },
    );
    const fixed = 'x\uFFFD<b>\uFFFD';
    expect([e.id, e.channel, e.type, e.producer, e.key?.value]).toEqual([
      `kafka/c/${fixed}/0/1`,
      fixed,
      fixed,
      fixed,
      fixed,
    ]);
    expect(e.headers).toEqual({ [fixed]: fixed });
    expect(e.correlation).toEqual({ keys: [{ name: 'orderId', value: fixed }], messageId: fixed, causationId: fixed });
    // A pair stays whole.
    expect(admitEvent(replayed({ type: 'a\uD83D\uDE00' }), NOW, { maxPayloadBytes: 65_536 }).type).toBe(
      'a\uD83D\uDE00',
    );
  });

  it('keeps the first --max-payload bytes of a payload over the cap, marked cut', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const payload = { encoding: 'text' as const, value: big, size: big.length, truncated: false, sha256: 'y' };
    const e = admitEvent(replayed({ payload }), NOW, { maxPayloadBytes: 65_536 });
    expect(e.payload).toMatchObject({ encoding: 'text', truncated: true, size: big.length, sha256: 'y' });
    expect(e.payload.value).toHaveLength(65_536);
    expect(e.payload.note).toMatch(/--max-payload/);
  });

  it('gets a time every view can show in place of one that is none, and keeps the original in a header', () => {
    for (const bad of [1e300, 8.64e15 + 1, 2 ** 60, -1]) {
      const e = admitEvent(replayed({ timestamp: epochMs(bad) }), NOW, { maxPayloadBytes: 65_536 });
      expect(e.timestamp).toBe(NOW - 900);
      expect(e.headers[INVALID_TIME_HEADER]).toBe(String(bad));
    }
    const both = admitEvent(replayed({ timestamp: epochMs(1e300), receivedAt: epochMs(-5) }), NOW, {
      maxPayloadBytes: 65_536,
    });
    expect([both.timestamp, both.receivedAt]).toEqual([NOW, NOW]);
  });
});

describe('a broker record with a time that is none', () => {
  it('is stamped with the time it was received, the original in a header', () => {
    const raw = { channel: 'orders', partition: 0, offset: '7', timestamp: 1e300, headers: {}, value: '{"a":1}' };
    const { event } = normalizeRecord(raw, { broker: 'kafka', cluster: 'c' }, NOW, { maxPayloadBytes: 1024 });
    expect(event.timestamp).toBe(NOW);
    expect(event.headers[INVALID_TIME_HEADER]).toBe('1e+300');
  });
});

describe('a record with huge names and thousands of headers', () => {
  it('keeps the first headers and the start of every long value, saying what was left out', () => {
    const headers: Record<string, string> = { 'event-type': 't'.repeat(120_000), big: 'v'.repeat(1024 * 1024) };
    for (let i = 0; i < 10_000; i++) headers[`h${i}`] = String(i);
    const raw = { channel: 'orders', partition: 0, offset: '8', timestamp: NOW, headers, value: '{"orderId":"A-1"}' };
    const { event } = normalizeRecord(raw, { broker: 'kafka', cluster: 'c' }, NOW, { maxPayloadBytes: 1024 });
    expect(Object.keys(event.headers)).toHaveLength(MAX_HEADERS + 1);
    expect(event.headers[HEADERS_CUT_HEADER]).toBe(String(10_002 - MAX_HEADERS));
    expect((event.headers.big as string).length).toBe(MAX_HEADER_VALUE + 1);
    expect(event.type?.length).toBe(MAX_NAME + 1);
    expect(JSON.stringify(event).length).toBeLessThan(MAX_HEADERS * MAX_HEADER_VALUE + 10_000);
    // The same from a replayed capture.
    const replay = admitEvent(replayed({ headers, producer: 'p'.repeat(120_000) }), NOW, { maxPayloadBytes: 65_536 });
    expect(Object.keys(replay.headers)).toHaveLength(MAX_HEADERS + 1);
    expect(replay.producer?.length).toBe(MAX_NAME + 1);
  });

  it('keeps a long channel, id and key to their start, and two of them that share it apart', () => {
    const long = (tail: string) => `${'s'.repeat(200_000)}${tail}`;
    const raw = (tail: string) => ({
      channel: long(tail),
      partition: 0,
      offset: '9',
      timestamp: NOW,
      headers: {},
      key: Buffer.from(long(tail)),
      value: '{}',
    });
    const a = normalizeRecord(raw('a'), { broker: 'redis', cluster: 'c' }, NOW, { maxPayloadBytes: 1024 }).event;
    const b = normalizeRecord(raw('b'), { broker: 'redis', cluster: 'c' }, NOW, { maxPayloadBytes: 1024 }).event;
    expect(a.channel.length).toBe(MAX_NAME);
    expect(a.id.length).toBeLessThanOrEqual(1024);
    expect(a.key?.value.length).toBeLessThanOrEqual(1024);
    expect(a.channel).toMatch(/^s+…[0-9a-f]{12}$/);
    expect(a.channel).not.toBe(b.channel);
    expect(a.id).not.toBe(b.id);
    expect(a.key?.value).not.toBe(b.key?.value);
    // The same from a replayed capture.
    const replay = admitEvent(replayed({ channel: long('a'), id: long('a') }), NOW, { maxPayloadBytes: 65_536 });
    expect(replay.channel).toBe(a.channel);
    expect(replay.id.length).toBeLessThanOrEqual(1024);
  });
});
