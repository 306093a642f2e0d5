import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVALID_TIME_HEADER, toCapture, type FlowEvent, type Seq } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, sourceStatus, startFlowscope, TOKEN } from './helpers.js';

const NOW = Date.now();

/** A captured event of order `n`, as another Flowscope exported it. */
function captured(n: number, over: Partial<FlowEvent> = {}): FlowEvent {
  const value = JSON.stringify({ orderId: `H-${n}`, card: { number: '4111111111111111' }, total: n });
  return {
    id: `kafka/prod/payments/0/${n}`,
    seq: n as Seq,
    source: { broker: 'kafka', cluster: 'prod' },
    channel: 'payments',
    partition: 0,
    offset: String(n),
    timestamp: (NOW - 60_000 + n) as FlowEvent['timestamp'],
    receivedAt: (NOW - 60_000 + n) as FlowEvent['receivedAt'],
    key: { encoding: 'text', value: `key-${n}` },
    headers: { authorization: 'Bearer s3cr3t-token', 'event-type': 'payment.authorized' },
    type: 'payment.authorized',
    producer: 'payment-service',
    correlation: { keys: [{ name: 'orderId', value: `H-${n}` }] },
    payload: { encoding: 'json', value, size: value.length, truncated: false, sha256: `sha-${n}` },
    ...over,
  } as FlowEvent;
}

describe('a hostile capture, replayed', () => {
  let server: Awaited<ReturnType<typeof startFlowscope>>;
  const big = 'x'.repeat(2 * 1024 * 1024);
  beforeAll(async () => {
    const events = [
      captured(1),
      captured(2, { timestamp: 1e300 as FlowEvent['timestamp'] }),
      captured(3, { timestamp: 9.1e15 as FlowEvent['timestamp'] }),
      captured(4, { payload: { encoding: 'text', value: big, size: big.length, truncated: false, sha256: 'big' } }),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'flowscope-hostile-')), 'hostile.ndjson');
    writeFileSync(file, toCapture(events, 'all', NOW));
    server = await startFlowscope([
      '--replay',
      file,
      '--mask',
      'payload:card.number',
      '--mask',
      'header:authorization',
      '--mask',
      'key',
      '--max-payload',
      '65536',
    ]);
    await eventually(
      async () => ((await sourceStatus(server, 'file:hostile.ndjson'))?.state === 'stopped' ? true : undefined),
      30_000,
      'the replay to finish',
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves every event, masked, with times every view can show, the payload cut to --max-payload', async () => {
    const { body } = await api<{ events: FlowEvent[] }>(server, '/api/events?limit=100');
    expect(body.events.map((e) => e.id).sort()).toEqual([1, 2, 3, 4].map((n) => `kafka/prod/payments/0/${n}`));
    const text = JSON.stringify(body.events);
    expect(text).not.toMatch(/4111111111111111|s3cr3t-token|key-\d/);
    for (const e of body.events) expect(Number.isFinite(new Date(e.timestamp).getTime())).toBe(true);
    const bad = body.events.filter((e) => e.headers[INVALID_TIME_HEADER] !== undefined);
    expect(bad.map((e) => e.headers[INVALID_TIME_HEADER]).sort()).toEqual(['1e+300', '9100000000000000']);
    const cut = body.events.find((e) => e.payload.sha256 === 'big');
    expect(cut?.payload).toMatchObject({ truncated: true, size: big.length });
    expect(cut?.payload.value.length).toBe(64 * 1024);
  });

  it('renders every export and the catalog', async () => {
    for (const path of ['/api/export/html', '/api/export/markdown', '/api/catalog', '/api/insights']) {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain('4111111111111111');
    }
  });
});
