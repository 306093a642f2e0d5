import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Annotation, ChannelEntry } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { api, eventually, startFlowscope } from './helpers.js';

const put = (server: Awaited<ReturnType<typeof startFlowscope>>, body: unknown) =>
  api<Annotation & { message?: string }>(server, '/api/annotations', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('annotations', () => {
  it('are saved, listed, kept across a restart, used in exports, and removed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-notes-'));
    const first = await startFlowscope(['--demo', '--demo-rate', '20', '--data-dir', dataDir]);
    let channelId = '';
    try {
      const { body } = await eventually(
        async () => {
          const r = await api<{ channels: ChannelEntry[] }>(first, '/api/catalog');
          return r.body.channels.some((c) => c.name === 'orders') ? r : undefined;
        },
        30_000,
        'the orders channel in the catalog',
      );
      channelId = body.channels.find((c) => c.name === 'orders')?.id ?? '';
      const saved = await put(first, {
        target: `channel:${channelId}`,
        title: 'Orders',
        description: 'Every order as the customer placed it.',
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ target: `channel:${channelId}`, title: 'Orders' });
      const bad = await put(first, { target: 'planet:earth', title: 'x', description: '' });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/^target: use kind:<kind>/);
    } finally {
      await first.close();
    }

    const second = await startFlowscope(['--demo', '--demo-rate', '20', '--data-dir', dataDir]);
    try {
      const { body } = await api<{ annotations: Annotation[] }>(second, '/api/annotations');
      expect(body.annotations).toEqual([
        expect.objectContaining({
          target: `channel:${channelId}`,
          description: 'Every order as the customer placed it.',
        }),
      ]);
      const asyncapi = await api<{ channels: Record<string, { address: string; description?: string }> }>(
        second,
        '/api/export/asyncapi',
      );
      const orders = Object.values(asyncapi.body.channels).find((c) => c.address === 'orders');
      expect(orders?.description).toBe('Orders: Every order as the customer placed it.');
      const removed = await api(second, `/api/annotations?target=${encodeURIComponent(`channel:${channelId}`)}`, {
        method: 'DELETE',
      });
      expect(removed.status).toBe(204);
      expect((await api<{ annotations: Annotation[] }>(second, '/api/annotations')).body.annotations).toEqual([]);
      const again = await api(second, '/api/annotations?target=channel:none', { method: 'DELETE' });
      expect(again.status).toBe(404);
    } finally {
      await second.close();
    }
  });
});
