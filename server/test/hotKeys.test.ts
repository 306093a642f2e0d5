import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowSummary } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { api, eventually, sourceStatus, startFlowscope } from './helpers.js';

/** A capture of five orders of two events each, every event also carrying one tenant id. */
function capture(): string {
  const events = Array.from({ length: 10 }, (_, i) => {
    const order = `O-${Math.floor(i / 2)}`;
    return {
      id: `kafka/local/orders/0/${i}`,
      seq: i + 1,
      source: { broker: 'kafka', cluster: 'local' },
      channel: 'orders',
      partition: 0,
      offset: String(i),
      timestamp: 1_700_000_000_000 + i,
      receivedAt: 1_700_000_000_000 + i,
      headers: {},
      type: i % 2 === 0 ? 'order.placed' : 'order.paid',
      correlation: {
        keys: [
          { name: 'orderId', value: order },
          { name: 'tenant', value: 'acme' },
        ],
      },
      payload: { encoding: 'json', value: `{"orderId":"${order}"}`, size: 18, truncated: false, sha256: '' },
    };
  });
  const header = { format: 'flowscope-capture', version: 1, events: events.length };
  return [header, ...events].map((l) => JSON.stringify(l)).join('\n') + '\n';
}

describe('the bound on events sharing one key value', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'flowscope-hot-')), 'tenant.ndjson');
  writeFileSync(file, capture());

  it.each([
    [[], 1],
    [['--hot-key-events', '4'], 5],
  ])('%j: one tenant id on ten events of five orders makes %i flow(s)', async (args, flows) => {
    const server = await startFlowscope(['--replay', file, ...args]);
    try {
      await eventually(
        async () => ((await sourceStatus(server, 'file:tenant.ndjson'))?.state === 'stopped' ? true : undefined),
        20_000,
        'the replay to finish',
      );
      const { body } = await api<{ flows: FlowSummary[] }>(server, '/api/flows?limit=50');
      expect(body.flows).toHaveLength(flows);
    } finally {
      await server.close();
    }
  });
});
