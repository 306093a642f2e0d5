/**
 * Redis Streams ingest for `pnpm bench`: the machine's Redis (BENCH_REDIS_URL, default
 * redis://127.0.0.1:6379), one fresh stream of 1 KiB JSON entries written with pipelined XADDs,
 * read (1) by a bare node-redis client (the library the source uses) with XREAD COUNT 1000 from 0
 * to the end, counting only, and (2) by Flowscope end to end from `earliest`: decode, correlate,
 * map, and write to the SQLite store. Same stream, same run, one after the other. The first
 * BENCH_REDIS_WARMUP entries (default 2,000) warm each reader up and are not timed; the next
 * BENCH_REDIS_EVENTS (default 50,000) are. The stream is deleted afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { benchEvent, loadAverages } from './traffic.js';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { buildCli, resolveConfig } from '../config.js';
import { startServer } from '../server.js';

const N = Number(process.env.BENCH_REDIS_EVENTS ?? 50_000);
const WARMUP = Number(process.env.BENCH_REDIS_WARMUP ?? 2_000);
const TOTAL = WARMUP + N;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Entries per XREAD, as the source asks for. */
const COUNT = 1000;

type Timed = { rate: number; seconds: number };

/** The same 1 KiB order event as the Kafka bench: the body is the payload, the rest are fields (headers). */
function entry(i: number): Record<string, string> {
  const e = benchEvent(i);
  return {
    payload: e.body,
    'correlation-id': e.correlationId,
    'event-type': e.type,
    producer: e.producer,
    'message-id': e.messageId,
  };
}

/** XADDs of one chunk are sent together (node-redis pipelines commands issued in the same tick). */
async function produce(xAdd: (fields: Record<string, string>) => Promise<unknown>) {
  for (let i = 0; i < TOTAL; i += 2000) {
    const chunk = Array.from({ length: Math.min(2000, TOTAL - i) }, (_, j) => entry(i + j));
    await Promise.all(chunk.map(xAdd));
  }
}

/** Events per second over the timed entries: from the end of the warm-up to the last entry. */
async function bareRedis(stream: string): Promise<Timed> {
  const client = createClient({ url: REDIS_URL, RESP: 2 });
  await client.connect();
  let id = '0-0';
  let count = 0;
  let first = WARMUP === 0 ? performance.now() : 0;
  while (count < TOTAL) {
    const reply = await client.xRead({ key: stream, id }, { COUNT });
    const messages = reply?.[0]?.messages ?? [];
    if (messages.length === 0) throw new Error(`the stream ended after ${count} entries, expected ${TOTAL}`);
    for (const m of messages) {
      count += 1;
      id = m.id;
      if (count === WARMUP) first = performance.now();
    }
  }
  const seconds = (performance.now() - first) / 1000;
  client.destroy();
  return { rate: N / seconds, seconds };
}

async function flowscope(stream: string): Promise<Timed & { stored: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-rbench-'));
  const args = ['--port', '0', '--no-demo', '--redis', REDIS_URL, '--streams', stream, '--redis-from', 'earliest'];
  const cli = buildCli()
    .exitOverride()
    .parse([...args, '--data-dir', dataDir], { from: 'user' });
  const resolved = resolveConfig(cli);
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  const server = await startServer({ ...resolved.config, bufferSize: 20_000 });
  let first = WARMUP === 0 ? performance.now() : 0;
  await new Promise<void>((resolve) => {
    const off = server.pipeline.ingest.onEvent((event) => {
      if (event.seq === WARMUP) first = performance.now();
      if (event.seq >= TOTAL) {
        off();
        resolve();
      }
    });
  });
  const { stored } = await server.close(); // the last batch reaches the store before this resolves
  const seconds = (performance.now() - first) / 1000;
  rmSync(dataDir, { recursive: true, force: true });
  return { rate: N / seconds, seconds, stored };
}

const load = loadAverages;
const loadBefore = load();
process.stderr.write(
  `Redis ingest bench: writing ${TOTAL.toLocaleString()} entries of 1 KiB (${WARMUP.toLocaleString()} warm-up)…\n`,
);
const client = createClient({ url: REDIS_URL });
await client.connect();
const stream = `flowscope-bench-${randomBytes(3).toString('hex')}`;
try {
  await produce((fields) => client.xAdd(stream, '*', fields));
  const version = ((await client.info('server')).match(/redis_version:(\S+)/) ?? [])[1] ?? '?';
  const bare = await bareRedis(stream);
  const ours = await flowscope(stream);
  if (ours.stored !== TOTAL) throw new Error(`the store holds ${ours.stored} events, expected ${TOTAL}`);
  console.log(`\nRedis Streams ingest · ${N.toLocaleString()} entries of 1 KiB JSON on one stream · Redis ${version}`);
  console.log(
    `${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version} · load ${loadBefore} before, ${load()} after · ${WARMUP.toLocaleString()} entries of warm-up per reader, not timed\n`,
  );
  console.table([
    {
      reader: `bare node-redis client (XREAD COUNT ${COUNT}, counts only)`,
      'events/s': Math.round(bare.rate).toLocaleString(),
      seconds: bare.seconds.toFixed(1),
    },
    {
      reader: 'Flowscope end to end (decode, correlate, map, SQLite store)',
      'events/s': Math.round(ours.rate).toLocaleString(),
      seconds: ours.seconds.toFixed(1),
    },
  ]);
  console.log(`Flowscope / bare node-redis: ${(ours.rate / bare.rate).toFixed(2)}`);
} finally {
  await client.del(stream);
  client.destroy();
}
