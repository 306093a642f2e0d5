import { openDatabase } from '../src/store/connection.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { rootLogger } from '../src/log.js';
import { api, eventually, startFlowscope } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-store-failure-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a store that cannot write', () => {
  it('keeps the server running, says why in the log, and writes every accepted event once it can', async () => {
    const errors = vi.spyOn(rootLogger, 'error');
    const server = await startFlowscope(['--data-dir', dataDir, '--demo-rate', '50']);
    const side = openDatabase(dataDir);
    try {
      // The disk "fills up": every block the writer thread inserts fails, as SQLITE_FULL would.
      side.exec(
        "CREATE TRIGGER full BEFORE INSERT ON blocks BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
      );
      const reported = await eventually(
        () => errors.mock.calls.find((c) => String(c[1]).includes('disk is full')),
        20_000,
        'the write failure in the log',
      );
      expect(String(reported[1])).toContain(dataDir);
      // Still serving: health, and the events it holds in memory.
      expect((await api(server, '/api/health')).status).toBe(200);
      const { body } = await api<{ events: unknown[] }>(server, '/api/events?limit=20');
      expect(body.events.length).toBeGreaterThan(0);
      side.exec('DROP TRIGGER full');
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
