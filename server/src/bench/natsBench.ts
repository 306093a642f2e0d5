/**
 * NATS JetStream ingest for `pnpm bench`: the machine's nats-server (BENCH_NATS_URL, default
 * nats://127.0.0.1:4222, JetStream on). JetStream keeps history, so, as for Redis Streams, one
 * fresh limits stream is filled first: BENCH_NATS_WARMUP (default 2,000, not timed) and then
 * BENCH_NATS_EVENTS (default 50,000) messages of 1 KiB JSON, published asynchronously with at most
 * 1,000 acks outstanding, with the headers an application sets (correlation id, type, producer,
 * Nats-Msg-Id). Then, one after the other, the same stream is read from its first message (1) by a
 * bare ordered consumer of @nats-io/jetstream (the library the source uses), counting only, and
 * (2) by Flowscope's NATS source from `earliest`, end to end: decode, correlate, map, SQLite store.
 * Each is timed from the end of its warm-up to its last message. The stream is deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { buildCli, resolveConfig } from '../config.js';
import { startServer } from '../server.js';
import { benchEvent, loadAverages } from './traffic.js';

const N = Number(process.env.BENCH_NATS_EVENTS ?? 50_000);
const WARMUP = Number(process.env.BENCH_NATS_WARMUP ?? 2_000);
const TOTAL = WARMUP + N;
const NATS_URL = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
/** Publishes awaiting their ack, at most. */
const WINDOW = 1000;

type Timed = { rate: number; seconds: number };
const timed = (ms: number): Timed => ({ rate: (N * 1000) / ms, seconds: ms / 1000 });

/** Publishes the TOTAL messages to `subject.<type>`, at most WINDOW unacknowledged; returns the publish rate. */
async function produce(nc: NatsConnection, subject: string): Promise<Timed> {
  const js = jetstream(nc);
  let outstanding = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const settled = () => {
    outstanding -= 1;
    const w = wake;
    wake = undefined;
    w?.();
  };
  let first = 0;
  for (let i = 0; i < TOTAL; i += 1) {
    if (i === WARMUP) first = performance.now();
    while (outstanding >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) break;
    const e = benchEvent(i);
    const h = headers();
    h.set('correlation-id', e.correlationId);
    h.set('event-type', e.type);
    h.set('producer', e.producer);
    outstanding += 1;
    js.publish(`${subject}.${e.type}`, e.body, { headers: h, msgID: e.messageId }).then(settled, (err: unknown) => {
      failure ??= err;
      settled();
    });
  }
  while (outstanding > 0) await new Promise<void>((resolve) => (wake = resolve));
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return timed(performance.now() - first);
}

/** A bare ordered consumer (the library's own, `consume()`), reading the stream from its first message. */
async function bareNats(nc: NatsConnection, stream: string): Promise<Timed> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume();
  let count = 0;
  let first = WARMUP === 0 ? performance.now() : 0;
  for await (const m of messages) {
    count += 1;
    if (m.data.length === 0) throw new Error(`message ${m.seq} is empty`);
    if (count === WARMUP) first = performance.now();
    if (count === TOTAL) break;
  }
  const ms = performance.now() - first;
  await messages.close();
  if (count !== TOTAL) throw new Error(`the stream ended after ${count} messages, expected ${TOTAL}`);
  return timed(ms);
}

async function flowscope(stream: string): Promise<Timed & { stored: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-nbench-'));
  const args = ['--port', '0', '--no-demo', '--nats', NATS_URL, '--nats-streams', stream, '--nats-from', 'earliest'];
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
  const ms = performance.now() - first;
  rmSync(dataDir, { recursive: true, force: true });
  return { ...timed(ms), stored };
}

const row = (reader: string, t: Timed) => ({
  reader,
  'events/s': Math.round(t.rate).toLocaleString(),
  seconds: t.seconds.toFixed(1),
});

async function main() {
  const loadBefore = loadAverages();
  process.stderr.write(
    `NATS ingest bench: publishing ${TOTAL.toLocaleString()} messages of 1 KiB (${WARMUP.toLocaleString()} warm-up)…\n`,
  );
  const nc = await connect({ servers: NATS_URL, name: 'flowscope-bench' });
  const jsm = await jetstreamManager(nc);
  const id = randomBytes(3).toString('hex');
  const stream = `BENCH_${id}`;
  const subject = `bench.${id}.orders`;
  await jsm.streams.add({
    name: stream,
    subjects: [`${subject}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
  });
  try {
    const published = await produce(nc, subject);
    const { state } = await jsm.streams.info(stream);
    if (state.messages !== TOTAL) throw new Error(`the stream holds ${state.messages} messages, expected ${TOTAL}`);
    const bare = await bareNats(nc, stream);
    const ours = await flowscope(stream);
    if (ours.stored !== TOTAL) throw new Error(`the store holds ${ours.stored} events, expected ${TOTAL}`);
    console.log(
      `\nNATS JetStream ingest · ${N.toLocaleString()} messages of 1 KiB JSON on one limits stream (file storage) · nats-server ${nc.info?.version ?? '?'}`,
    );
    console.log(
      `${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version} · load ${loadBefore} before, ${loadAverages()} after · ${WARMUP.toLocaleString()} messages of warm-up per reader, not timed\n`,
    );
    console.table([
      row(`publisher (async, ${WINDOW} acks outstanding; before the readers)`, published),
      row('bare ordered consumer (consume(), counts only)', bare),
      row('Flowscope end to end from earliest (decode, correlate, map, SQLite store)', ours),
    ]);
    console.log(`Flowscope / bare ordered consumer: ${(ours.rate / bare.rate).toFixed(2)}`);
  } finally {
    await jsm.streams.delete(stream);
    await nc.close();
  }
}

await main();
