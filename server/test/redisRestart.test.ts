import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { RedisSource } from '../src/sources/redis/redisSource.js';
import { eventually, freePort, recordingSink } from './helpers.js';

/**
 * A Redis server of this test's own (the machine's redis-server binary, its own port and
 * directory, append-only file on), so that it can be shut down and started again mid-stream
 * without touching the Redis other tests share.
 */
const dir = mkdtempSync(join(tmpdir(), 'flowscope-redis-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''],
    { stdio: 'ignore' },
  );
  // A fresh client per try: one whose connect failed is not tried again.
  const up = async () => {
    const probe = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
    probe.on('error', () => undefined);
    const open = await probe.connect().then(
      () => true,
      () => false,
    );
    if (open) probe.destroy();
    return open || undefined;
  };
  await eventually(up, 10_000, 'redis-server to start');
  return child;
}

describe('a Redis server restarted mid-stream', () => {
  it('shows reconnecting while it is down, then reads on after the last entry seen: nothing missed, nothing twice', async () => {
    const port = await freePort();
    let server = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const app = createClient({ url, socket: { reconnectStrategy: (n) => Math.min(n * 100, 500) } });
    app.on('error', () => undefined);
    await app.connect();
    const stream = 'orders';
    const source = new RedisSource(
      { cluster: 'restart', url, streams: [stream], from: { kind: 'earliest' }, streamRefreshMs: 500 },
      rootLogger,
    );
    const rec = recordingSink();
    try {
      for (let i = 1; i <= 3; i++) await app.xAdd(stream, '*', { payload: `{"n":${i}}` });
      await source.start(rec.sink);
      await eventually(() => (rec.records.length === 3 ? true : undefined), 10_000, 'the first three entries');
      await app.xAdd(stream, '*', { payload: '{"n":4}' });
      await eventually(() => (rec.records.length === 4 ? true : undefined), 10_000, 'the fourth entry');

      // SHUTDOWN writes the append-only file; the server comes back with every entry. Waited on
      // from before it is sent: the server may be gone before SHUTDOWN's reply fails.
      const exited = new Promise((resolve) =>
        server.exitCode !== null ? resolve(undefined) : server.once('exit', resolve),
      );
      await app.sendCommand(['SHUTDOWN']).catch(() => undefined);
      await exited;
      const down = await eventually(() => rec.reports.find((r) => r.state === 'reconnecting'), 10_000, 'reconnecting');
      expect(down.problem).toMatchObject({ reason: 'unreachable' });
      server = await startRedis(port);
      await eventually(() => (app.isReady ? true : undefined), 10_000, 'the application reconnected');
      for (let i = 5; i <= 6; i++) await app.xAdd(stream, '*', { payload: `{"n":${i}}` });

      await eventually(() => (rec.records.length >= 6 ? true : undefined), 20_000, 'the entries after the restart');
      expect(rec.records.map((r) => Buffer.from(r.value ?? '').toString())).toEqual(
        [1, 2, 3, 4, 5, 6].map((n) => `{"n":${n}}`),
      );
      expect(rec.states.at(-1)).toBe('connected');
    } finally {
      await source.stop();
      app.destroy();
      server.kill('SIGKILL');
    }
  }, 60_000);
});
