import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthResponse } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startFlowscope } from './helpers.js';
import { storedEvents } from './startCommand.js';

/**
 * A disk that really fills up: the data directory on a tmpfs of 8 MiB, filled to the last byte by
 * a ballast file while Flowscope writes the demo's events, then given space back.
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'flowscope-full-'));
const dataDir = join(mountPoint, 'data');
const ballast = join(mountPoint, 'ballast');

beforeAll(() => {
  // The suite runs as root (CI and the README's machine); mount says why if it cannot.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint]);
  mkdirSync(dataDir);
});
afterAll(() => {
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Writes until the file system has no byte left (ENOSPC). */
function fillDisk() {
  const fd = openSync(ballast, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

describe('a data directory whose disk fills up while Flowscope runs', () => {
  it('goes on live, shows the store failing and why, and writes every accepted event once space returns', async () => {
    const server = await startFlowscope(['--data-dir', dataDir, '--demo-rate', '100']);
    const health = async () => (await api<HealthResponse>(server, '/api/health')).body;
    try {
      await eventually(async () => ((await health()).store?.state === 'writing' ? true : undefined), 10_000, 'writing');
      fillDisk();
      const failing = await eventually(
        async () => {
          const h = await health();
          return h.store?.state === 'failing' ? h.store : undefined;
        },
        30_000,
        'the store to report that it cannot write',
      );
      expect(failing.reason).toMatch(/full/i);
      expect(failing.dir).toBe(dataDir);
      // Still live: events keep coming in and are served from memory.
      const seqThen = server.pipeline.queries.latestSeq;
      await eventually(
        async () => (server.pipeline.queries.latestSeq > seqThen + 50 ? true : undefined),
        10_000,
        'more events',
      );
      expect((await health()).store?.unwritten).toBeGreaterThan(0);

      rmSync(ballast);
      await eventually(
        async () => ((await health()).store?.state === 'writing' ? true : undefined),
        30_000,
        'writing to work again',
      );
    } finally {
      const accepted = server.pipeline.queries.latestSeq;
      const { stored } = await server.close();
      expect(stored).toBeGreaterThanOrEqual(accepted);
    }
    // Every event accepted was written, once, the ones held while the disk was full included.
    const onDisk = storedEvents(dataDir);
    expect(onDisk.rows).toBe(onDisk.ids);
    expect(onDisk.rows).toBe(server.pipeline.queries.latestSeq);
  }, 120_000);
});
