/**
 * RabbitMQ ingest for `pnpm bench`: the machine's RabbitMQ (BENCH_RABBITMQ_URL, default
 * amqp://guest:guest@127.0.0.1:5672, management API on 15672). AMQP keeps no history, so both
 * readers are attached before anything is published, and read the same messages at the same time:
 * a topic exchange with an application queue bound to it (mirror mode copies that binding), (1) a
 * bare amqplib consumer (the library the source uses) on its own exclusive queue bound the same
 * way, noAck, counting only, and (2) Flowscope's RabbitMQ source end to end: decode, correlate,
 * map, SQLite store. Once Flowscope's tap queue is bound, a publisher with confirms sends
 * BENCH_RABBITMQ_WARMUP messages (default 1,000, not timed), waits until both readers have them,
 * then BENCH_RABBITMQ_EVENTS (default 20,000) of 1 KiB JSON. Live: each reader is timed from the
 * first of those publishes to its last message, so the publisher sets the pace. Backlog: as many
 * again are queued at the broker while neither reads (the bare consumer cancelled, Flowscope's
 * thread held), then each drains them alone, which measures the readers themselves. The publisher
 * and the bare consumer run in worker threads, so Flowscope's work does not stall their event
 * loops (all share the machine's cores with the broker). The exchange and the application queue
 * are deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { benchEvent, loadAverages } from './traffic.js';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { connect, type Options } from 'amqplib';
import { buildCli, resolveConfig } from '../config.js';
import { startServer, type RunningServer } from '../server.js';

const N = Number(process.env.BENCH_RABBITMQ_EVENTS ?? 20_000);
const WARMUP = Number(process.env.BENCH_RABBITMQ_WARMUP ?? 1_000);
const TOTAL = WARMUP + N;
const AMQP_URL = process.env.BENCH_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MANAGEMENT = process.env.BENCH_RABBITMQ_MANAGEMENT ?? 'http://guest:guest@127.0.0.1:15672';
/** The application queue's binding, which mirror mode copies (the bare consumer binds the same). */
const BINDING = 'orders.#';
/** Publishes awaiting their confirm, at most. */
const WINDOW = 1000;
const TIMEOUT_MS = 120_000;

type Job =
  | { role: 'bare'; exchange: string }
  | { role: 'publisher'; exchange: string; from: number; to: number; signal?: SharedArrayBuffer };
/** What a worker tells the main thread; times are ms since the epoch, comparable across threads. */
type Report =
  | { kind: 'ready' }
  | { kind: 'warm' }
  | { kind: 'done'; at: number }
  | { kind: 'paused' }
  | { kind: 'drained'; first: number; last: number }
  | { kind: 'published'; first: number; last: number };
type Timed = { rate: number; seconds: number };

const now = () => performance.timeOrigin + performance.now();
const timed = (from: number, to: number): Timed => ({ rate: (N * 1000) / (to - from), seconds: (to - from) / 1000 });

/** The same 1 KiB order event as the Kafka bench, with what an application sets as AMQP properties. */
function message(i: number): { routingKey: string; body: Buffer; options: Options.Publish } {
  const e = benchEvent(i);
  return {
    routingKey: `orders.${e.type}`,
    body: Buffer.from(e.body),
    options: {
      contentType: 'application/json',
      correlationId: e.correlationId,
      messageId: e.messageId,
      type: e.type,
      appId: e.producer,
      timestamp: Math.floor(Date.now() / 1000),
    },
  };
}

// ── worker threads ──────────────────────────────────────────────────────────────────────────────

const report = (r: Report) => parentPort?.postMessage(r);

/**
 * Counts messages on its own exclusive queue (not auto-delete: it outlives a cancelled consumer),
 * bound like the application queue; noAck, as the tap.
 * Live: WARMUP + N messages as they are published. Then, told to, it stops consuming (`pause`),
 * and when told again (`resume`) drains the N messages queued meanwhile.
 */
async function bareConsumer(exchange: string) {
  const conn = await connect(AMQP_URL);
  const ch = await conn.createChannel();
  const { queue } = await ch.assertQueue('', { exclusive: true, durable: false });
  await ch.bindQueue(queue, exchange, BINDING);
  let count = 0;
  const live = await ch.consume(
    queue,
    () => {
      count += 1;
      if (count === WARMUP) report({ kind: 'warm' });
      if (count === TOTAL) report({ kind: 'done', at: now() });
    },
    { noAck: true },
  );
  report({ kind: 'ready' });
  const told = (what: string) =>
    new Promise<void>((resolve) => parentPort?.on('message', (m) => m === what && resolve()));
  await told('pause');
  await ch.cancel(live.consumerTag);
  report({ kind: 'paused' });
  await told('resume');
  let first = 0;
  let drained = 0;
  await new Promise<void>((resolve) => {
    void ch.consume(
      queue,
      () => {
        if (drained === 0) first = now();
        drained += 1;
        if (drained === N) {
          report({ kind: 'drained', first, last: now() });
          resolve();
        }
      },
      { noAck: true },
    );
  });
  await conn.close();
}

/**
 * Publishes messages [from, to) with confirms, at most WINDOW unconfirmed; bodies are built first.
 * With `signal`, wakes the main thread (held in Atomics.wait) once all are confirmed, or on failure.
 */
async function publisher(exchange: string, from: number, to: number, signal?: SharedArrayBuffer) {
  const messages = Array.from({ length: to - from }, (_, i) => message(from + i));
  const conn = await connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  let outstanding = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const confirmed = (err: unknown) => {
    failure ??= err ?? undefined;
    outstanding -= 1;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const first = now();
  try {
    for (const m of messages) {
      while (outstanding >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
      outstanding += 1;
      if (!ch.publish(exchange, m.routingKey, m.body, m.options, confirmed))
        await new Promise((resolve) => ch.once('drain', resolve));
    }
    await ch.waitForConfirms();
  } finally {
    if (signal) {
      const flag = new Int32Array(signal);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    }
  }
  const last = now();
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  await conn.close();
  report({ kind: 'published', first, last });
}

// ── main thread ─────────────────────────────────────────────────────────────────────────────────

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A worker running `job`; `next(kind)` resolves with its report of that kind (also one already sent). */
function startWorker(job: Job) {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const reports = new Map<Report['kind'], { promise: Promise<Report>; resolve(r: Report): void }>();
  let failed: Error | undefined;
  const rejects = new Set<(err: Error) => void>();
  const slot = (kind: Report['kind']) => {
    let entry = reports.get(kind);
    if (!entry) {
      let resolve!: (r: Report) => void;
      const promise = new Promise<Report>((res) => (resolve = res));
      entry = { promise, resolve };
      reports.set(kind, entry);
    }
    return entry;
  };
  worker.on('message', (r: Report) => slot(r.kind).resolve(r));
  worker.on('error', (err) => {
    failed = err;
    for (const reject of rejects) reject(err);
  });
  const next = <K extends Report['kind']>(kind: K): Promise<Extract<Report, { kind: K }>> => {
    const failure = new Promise<never>((_, reject) => (failed ? reject(failed) : rejects.add(reject)));
    return within(Promise.race([slot(kind).promise, failure]), `the ${job.role} worker (${kind})`) as Promise<
      Extract<Report, { kind: K }>
    >;
  };
  return { next, tell: (what: string) => worker.postMessage(what), stop: () => worker.terminate() };
}

/** Resolves once Flowscope has accepted the event with sequence number `seq`. */
function seqReached(server: RunningServer, seq: number): Promise<void> {
  if (server.pipeline.queries.latestSeq >= seq) return Promise.resolve();
  return within(
    new Promise<void>((resolve) => {
      const off = server.pipeline.ingest.onEvent((event) => {
        if (event.seq >= seq) {
          off();
          resolve();
        }
      });
    }),
    `Flowscope's event ${seq}`,
  );
}

/** The management API's bindings with `exchange` as source (credentials from the URL go in a header). */
async function bindingsOf(exchange: string): Promise<{ destination: string }[]> {
  const url = new URL(MANAGEMENT);
  const auth = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString(
    'base64',
  );
  const res = await fetch(`${url.origin}/api/exchanges/%2F/${encodeURIComponent(exchange)}/bindings/source`, {
    headers: { authorization: `Basic ${auth}` },
  });
  if (!res.ok) throw new Error(`management API: ${res.status} ${res.statusText}`);
  return (await res.json()) as { destination: string }[];
}

/**
 * Waits until the source says it is connected (bindings applied) and the exchange has a binding to
 * a queue that was not there before it started: its tap queue.
 */
async function tapBound(server: RunningServer, exchange: string, before: ReadonlySet<string>) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = server.sources.list()[0];
    const fresh = (await bindingsOf(exchange)).filter((b) => !before.has(b.destination));
    if (status?.state === 'connected' && fresh.length > 0) return;
    if (Date.now() > deadline) throw new Error(`Flowscope's tap was not bound after 30 s: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type BareWorker = ReturnType<typeof startWorker>;

/** Runs `fn` with a Flowscope server tapping `exchange` (its tap bound), then closes it and removes its data. */
async function withFlowscope<T>(exchange: string, fn: (server: RunningServer) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-abench-'));
  const args = ['--port', '0', '--no-demo', '--rabbitmq', AMQP_URL, '--rabbitmq-management', MANAGEMENT];
  const cli = buildCli()
    .exitOverride()
    .parse([...args, '--exchanges', exchange, '--data-dir', dataDir], { from: 'user' });
  const resolved = resolveConfig(cli);
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  const before = new Set((await bindingsOf(exchange)).map((b) => b.destination));
  const server = await startServer({ ...resolved.config, bufferSize: 20_000 });
  try {
    await tapBound(server, exchange, before);
    return await fn(server);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function publish(exchange: string, from: number, to: number, signal?: SharedArrayBuffer) {
  const pub = startWorker({ role: 'publisher', exchange, from, to, ...(signal ? { signal } : {}) });
  try {
    return await pub.next('published');
  } finally {
    await pub.stop();
  }
}

/** Live: both readers attached, the warm-up read by both, then N published; timed from the first publish. */
function live(exchange: string, bare: BareWorker) {
  return withFlowscope(exchange, async (server) => {
    if (WARMUP > 0) {
      await publish(exchange, 0, WARMUP);
      await Promise.all([bare.next('warm'), seqReached(server, WARMUP)]);
    }
    // The last batch reaches the store before close resolves.
    const ours = seqReached(server, TOTAL).then(async () => ({ ...(await server.close()), at: now() }));
    const [published, bareDone, oursDone] = await Promise.all([
      publish(exchange, WARMUP, TOTAL),
      bare.next('done'),
      ours,
    ]);
    if (oursDone.stored !== TOTAL) throw new Error(`the store holds ${oursDone.stored} events, expected ${TOTAL}`);
    return {
      publisher: timed(published.first, published.last),
      bare: timed(published.first, bareDone.at),
      ours: timed(published.first, oursDone.at),
    };
  });
}

/**
 * Backlog: N more messages are published while neither reader reads (the bare consumer has
 * cancelled its consumer; Flowscope's thread is held in Atomics.wait, so its copies wait at the
 * broker), then each drains them alone, Flowscope first: from its release to the last event stored.
 */
async function backlog(exchange: string, bare: BareWorker) {
  bare.tell('pause');
  await bare.next('paused');
  const ours = await withFlowscope(exchange, async (server) => {
    const signal = new SharedArrayBuffer(4);
    const published = publish(exchange, TOTAL, TOTAL + N, signal);
    if (Atomics.wait(new Int32Array(signal), 0, 0, TIMEOUT_MS) === 'timed-out')
      throw new Error('timed out waiting for the backlog to be published');
    const start = now();
    await Promise.all([seqReached(server, N), published]);
    const { stored } = await server.close();
    const end = now();
    if (stored !== N) throw new Error(`the store holds ${stored} events, expected ${N}`);
    return timed(start, end);
  });
  bare.tell('resume');
  const drained = await bare.next('drained');
  return { bare: timed(drained.first, drained.last), ours };
}

const row = (reader: string, t: Timed) => ({
  reader,
  'events/s': Math.round(t.rate).toLocaleString(),
  seconds: t.seconds.toFixed(1),
});
const load = loadAverages;

function print(
  version: string,
  loadBefore: string,
  r: { live: Awaited<ReturnType<typeof live>>; backlog: Awaited<ReturnType<typeof backlog>> },
) {
  console.log(
    `\nRabbitMQ ingest · ${N.toLocaleString()} messages of 1 KiB JSON on one topic exchange · RabbitMQ ${version}`,
  );
  console.log(
    `${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version} · load ${loadBefore} before, ${load()} after · ${WARMUP.toLocaleString()} messages of warm-up, not timed\n`,
  );
  console.log('Live: both readers attached while the messages are published, each timed from the first publish');
  console.table([
    row(`publisher (amqplib, confirms, ${WINDOW} in flight)`, r.live.publisher),
    row('bare amqplib consumer (noAck, counts only)', r.live.bare),
    row('Flowscope end to end (decode, correlate, map, SQLite store)', r.live.ours),
  ]);
  console.log(`Flowscope / bare amqplib, live: ${(r.live.ours.rate / r.live.bare.rate).toFixed(2)}`);
  console.log('\nBacklog: the messages queued at the broker first, then each reader drains them alone');
  console.table([
    row('bare amqplib consumer (noAck, counts only)', r.backlog.bare),
    row('Flowscope end to end (decode, correlate, map, SQLite store)', r.backlog.ours),
  ]);
  console.log(`Flowscope / bare amqplib, backlog: ${(r.backlog.ours.rate / r.backlog.bare.rate).toFixed(2)}`);
}

async function main() {
  const loadBefore = load();
  process.stderr.write(`RabbitMQ ingest bench: ${N.toLocaleString()} messages of 1 KiB (${WARMUP} warm-up)…\n`);
  const conn = await connect(AMQP_URL);
  const version = String(conn.connection.serverProperties.version ?? '?');
  const ch = await conn.createChannel();
  const exchange = `bench-${randomBytes(3).toString('hex')}`;
  const queue = `${exchange}-orders`;
  await ch.assertExchange(exchange, 'topic', { durable: false });
  await ch.assertQueue(queue, { durable: false });
  await ch.bindQueue(queue, exchange, BINDING);
  const bare = startWorker({ role: 'bare', exchange });
  try {
    await bare.next('ready');
    const r = { live: await live(exchange, bare), backlog: await backlog(exchange, bare) };
    print(version, loadBefore, r);
  } finally {
    await bare.stop();
    await ch.deleteQueue(queue);
    await ch.deleteExchange(exchange);
    await conn.close();
  }
}

if (isMainThread) await main();
else {
  const job = workerData as Job;
  if (job.role === 'bare') await bareConsumer(job.exchange);
  else await publisher(job.exchange, job.from, job.to, job.signal);
}
