import { openDatabase } from '../src/store/connection.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rootLogger } from '../src/log.js';
import type { HealthResponse } from '@flowscope/shared';
import { api, eventually, startFlowscope } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-store-failure-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a store that cannot write', () => {
  it('keeps the server running, says why in the log, and writes every accepted event once it can', async () => {
    const errors = vi.spyOn(rootLogger, 'error');
    const server = await startFlowscope(['--data-dir', dataDir, '--demo-rate', '50']);
    const side = openDatabase(dataDir);
    try {
      // The directory "turns read-only" (storeFull.test.ts fills a real disk; a file system cannot
      // be remounted read-only while the store holds its files open): every block the writer
      // thread inserts fails, as SQLITE_READONLY would.
      side.exec(
        "CREATE TRIGGER full BEFORE INSERT ON blocks BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END",
      );
      const reported = await eventually(
        () => errors.mock.calls.find((c) => String(c[1]).includes('readonly database')),
        20_000,
        'the write failure in the log',
      );
      expect(String(reported[1])).toContain(dataDir);
      // Still serving: health, which says why history is not written, and the events held in memory.
      const health = await api<HealthResponse>(server, '/api/health');
      expect(health.status).toBe(200);
      expect(health.body.store).toMatchObject({ state: 'failing', reason: 'attempt to write a readonly database' });
      const { body } = await api<{ events: unknown[] }>(server, '/api/events?limit=20');
      expect(body.events.length).toBeGreaterThan(0);
      side.exec('DROP TRIGGER full');
      await eventually(
        async () =>
          (await api<HealthResponse>(server, '/api/health')).body.store?.state === 'writing' ? true : undefined,
        20_000,
        'writing again',
      );
    } finally {
      side.close();
      errors.mockRestore();
    }
    const accepted = server.pipeline.queries.latestSeq;
    const { stored } = await server.close();
    expect(stored).toBeGreaterThanOrEqual(accepted);
    expect(stored).toBe(server.pipeline.queries.latestSeq);
  }, 60_000);
});
