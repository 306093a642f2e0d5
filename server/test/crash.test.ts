import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowEvent, Gap } from '@flowscope/shared';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/connection.js';
import type { RunningServer } from '../src/server.js';
import { api, eventually, liveClient, startFlowscope, TOKEN } from './helpers.js';
import { killLeftovers, start, storedEvents } from './startCommand.js';

const scratch = mkdtempSync(join(tmpdir(), 'flowscope-crash-'));
afterEach(killLeftovers);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The newest seq in the store's blocks, read from the file after the process is gone. */
function storedLastSeq(dataDir: string): number {
  const db = openDatabase(dataDir, { readonly: true });
  try {
    return (db.prepare('SELECT max(last_seq) FROM blocks').pluck().get() as number | null) ?? 0;
  } finally {
    db.close();
  }
}

function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('kill -9 during full-speed ingest, then a restart', () => {
  it('loses nothing stored, uses no seq twice, and records what was not written as a gap', async () => {
    const dataDir = join(scratch, 'kill9');
    const app = start('node', ['--demo-rate', '500', '--data-dir', dataDir, '--port', '0', '--token', TOKEN]);
    const url = await app.url;
    // A live client, as a browser: the newest seq it was shown is what it would resume after.
    const client = liveClient({ url } as RunningServer);
    let shown = 0;
    client.on('events', (batch) => {
      for (const e of batch.events) shown = Math.max(shown, e.seq);
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    await client.emitWithAck('subscribe', {});
    await eventually(() => (shown > 15_000 ? true : undefined), 60_000, '15,000 events shown');
    await eventually(() => (storedLastSeq(dataDir) > 0 ? true : undefined), 30_000, 'the first events written');
    // Then at once SIGKILL to the launcher and the server.
    process.kill(-(app.child.pid ?? 0), 'SIGKILL');
    expect(await app.exited).toMatchObject({ signal: 'SIGKILL' });
    client.close();
    // The server, orphaned for a moment, is gone too (its file is no longer being written).
    await eventually(() => (groupGone(app.child.pid ?? 0) ? true : undefined), 10_000, 'the server to be gone');

    const written = storedLastSeq(dataDir);
    const firstRun = storedEvents(dataDir);
    // Some accepted events had not been written yet: the crash this test is about.
    expect(written, 'every accepted event was already written when the kill came').toBeLessThan(shown);
    expect(written, 'nothing was written before the kill').toBeGreaterThan(0);
    expect(firstRun.rows).toBe(firstRun.ids);

    const second = await startFlowscope(['--data-dir', dataDir, '--demo-rate', '20']);
    try {
      const { gaps } = (await api<{ gaps: Gap[] }>(second, '/api/gaps')).body;
      const unwritten = gaps.filter((g) => g.reason === 'unwritten');
      expect(unwritten, JSON.stringify(gaps)).toHaveLength(1);
      expect(unwritten[0]?.detail).toContain(`after seq ${written.toLocaleString('en')}`);
      // New events are numbered after every seq the killed run could have shown.
      const next = await eventually(async () => {
        const [e] = (await api<{ events: FlowEvent[] }>(second, '/api/events?limit=1')).body.events;
        return e && e.seq > written ? e : undefined;
      });
      expect(next.seq).toBeGreaterThan(shown);
      console.log(
        `kill -9: seq ${shown} shown, ${written} written (${firstRun.rows} events); the next run's first seq ${next.seq}`,
      );
      // Everything the killed run wrote is still served.
      const stored = (await api<{ events: FlowEvent[] }>(second, `/api/events?limit=5&before=${written + 1}`)).body
        .events;
      expect(stored[0]?.seq).toBe(written);
    } finally {
      await second.close();
    }
    // Written once each, the killed run's events and the second run's.
    const after = storedEvents(dataDir);
    expect(after.rows).toBe(after.ids);
    expect(after.rows).toBeGreaterThan(firstRun.rows);

    // A third start after a clean stop reports no new gap.
    const third = await startFlowscope(['--data-dir', dataDir, '--no-demo']);
    try {
      const { gaps } = (await api<{ gaps: Gap[] }>(third, '/api/gaps')).body;
      expect(gaps.filter((g) => g.reason === 'unwritten')).toHaveLength(1);
    } finally {
      await third.close();
    }
  }, 240_000);
});
