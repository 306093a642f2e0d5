/**
 * MQTT ingest for `pnpm bench`: the machine's Mosquitto (BENCH_MQTT_URL, default
 * mqtt://127.0.0.1:1883). MQTT keeps no history, so readers are subscribed before anything is
 * published: (1) a bare mqtt.js 5 subscriber (the library the source uses, QoS 1, counting only)
 * and (2) Flowscope's MQTT source end to end (decode, correlate, map, SQLite store), its status
 * `connected` first. A publisher (mqtt.js, MQTT 5, QoS 1, at most 100 PUBACKs outstanding, user
 * properties carrying correlation id, type, producer and message id) sends BENCH_MQTT_WARMUP
 * messages (default 1,000, not timed), waits until the readers have them, then BENCH_MQTT_EVENTS
 * (default 20,000) of 1 KiB JSON.
 *
 * Mosquitto holds at most max_queued_messages (1,000 by default) QoS 1 messages per subscriber
 * beyond the 20 in flight, and drops the rest: a reader that falls further behind loses messages.
 * So the bench reports what each reader received, and runs twice:
 * - live: both readers at once, the publisher at full speed; each timed from the first publish to
 *   its last message, drops counted (the rate is over what it received);
 * - paced: each reader alone, the publisher held at most 500 messages ahead of it, so nothing is
 *   dropped and the rate is what that reader sustains (the publisher's speed caps it).
 * The publisher and the bare subscriber run in worker threads, so Flowscope's work does not stall
 * their event loops (all share the machine's cores with the broker).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { connectAsync, type IClientPublishOptions } from 'mqtt';
import { buildCli, resolveConfig } from '../config.js';
import { startServer } from '../server.js';
import { benchEvent, loadAverages } from './traffic.js';

const N = Number(process.env.BENCH_MQTT_EVENTS ?? 20_000);
const WARMUP = Number(process.env.BENCH_MQTT_WARMUP ?? 1_000);
const MQTT_URL = process.env.BENCH_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
/** Publishes awaiting their PUBACK, at most. */
const WINDOW = 100;
/** Paced: the publisher stays at most this many messages ahead of the reader (Mosquitto queues 1,000). */
const LEAD = 500;
/** A reader that received nothing new for this long has received all it will. */
const QUIET_MS = 3000;

/** Shared between threads: messages received and the time of the last one (ms since the epoch), per reader. */
type Shared = { counts: SharedArrayBuffer; times: SharedArrayBuffer };
const BARE = 0;
const OURS = 1;
type Job =
  | { role: 'bare'; filter: string; shared: Shared }
  | { role: 'publisher'; prefix: string; from: number; to: number; shared: Shared; pace?: number };
type Timed = { rate: number; seconds: number; received: number };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same 1 KiB order event as the other benches, with what an application sets as MQTT 5 properties. */
function message(prefix: string, i: number): { topic: string; body: string; options: IClientPublishOptions } {
  const e = benchEvent(i);
  return {
    topic: `${prefix}/orders/${e.type}`,
    body: e.body,
    options: {
      qos: 1,
      properties: {
        contentType: 'application/json',
        userProperties: {
          'correlation-id': e.correlationId,
          'event-type': e.type,
          producer: e.producer,
          'message-id': e.messageId,
        },
      },
    },
  };
}

// ── worker threads ──────────────────────────────────────────────────────────────────────────────

/** Subscribes at QoS 1 (clean start, as the tap) and counts into the shared slot BARE. */
async function bareSubscriber(filter: string, shared: Shared) {
  const counts = new Int32Array(shared.counts);
  const times = new Float64Array(shared.times);
  const client = await connectAsync(MQTT_URL, {
    clientId: `bench-bare-${randomBytes(4).toString('hex')}`,
    protocolVersion: 5,
    clean: true,
  });
  client.on('message', () => {
    Atomics.add(counts, BARE, 1);
    times[BARE] = now();
  });
  await client.subscribeAsync(filter, { qos: 1 });
  Atomics.store(counts, 2, 1); // subscribed
}

/** Publishes [from, to) at QoS 1, at most WINDOW unacknowledged; with `pace`, at most LEAD ahead of that reader. */
async function publisher(job: Extract<Job, { role: 'publisher' }>) {
  const counts = new Int32Array(job.shared.counts);
  const messages = Array.from({ length: job.to - job.from }, (_, i) => message(job.prefix, job.from + i));
  const client = await connectAsync(MQTT_URL, { protocolVersion: 5, clean: true });
  const base = job.pace === undefined ? 0 : Atomics.load(counts, job.pace);
  let outstanding = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const settled = () => {
    outstanding -= 1;
    const w = wake;
    wake = undefined;
    w?.();
  };
  for (const [i, m] of messages.entries()) {
    while (outstanding >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    if (job.pace !== undefined) while (i - (Atomics.load(counts, job.pace) - base) >= LEAD) await sleep(1);
    if (failure) break;
    outstanding += 1;
    client.publishAsync(m.topic, m.body, m.options).then(settled, (err: unknown) => {
      failure ??= err;
      settled();
    });
  }
  while (outstanding > 0) await new Promise<void>((resolve) => (wake = resolve));
  await client.endAsync();
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
}

// ── main thread ─────────────────────────────────────────────────────────────────────────────────

/** Runs `job` in a worker; resolves when it ends (the bare subscriber's never does: `stop` it). */
function run(job: Job) {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  let stopping = false;
  const ended = new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) =>
      code === 0 || stopping ? resolve() : reject(new Error(`the ${job.role} worker exited ${code}`)),
    );
  });
  return {
    ended,
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}

/** Resolves once `check()` holds, or fails after `ms`. */
async function until(check: () => boolean, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves when reader `slot` has `expected` messages, or its last one is QUIET_MS old (the rest were dropped). */
async function settled(counts: Int32Array, times: Float64Array, slot: number, expected: number) {
  while (Atomics.load(counts, slot) < expected) {
    if (now() - times[slot]! >= QUIET_MS) return;
    await sleep(10);
  }
}

/** A Flowscope server tapping `filter`, counting events into the shared slot OURS; resolves once connected. */
async function startFlowscope(filter: string, shared: Shared) {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-mbench-'));
  const args = ['--port', '0', '--no-demo', '--mqtt', MQTT_URL, '--mqtt-topics', filter];
  const cli = buildCli()
    .exitOverride()
    .parse([...args, '--data-dir', dataDir], { from: 'user' });
  const resolved = resolveConfig(cli);
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  const server = await startServer({ ...resolved.config, bufferSize: 20_000 });
  const counts = new Int32Array(shared.counts);
  const times = new Float64Array(shared.times);
  Atomics.store(counts, OURS, 0);
  server.pipeline.ingest.onEvent(() => {
    Atomics.add(counts, OURS, 1);
    times[OURS] = now();
  });
  await until(() => server.sources.list()[0]?.state === 'connected', "Flowscope's MQTT source to connect", 30_000);
  return {
    server,
    /** Closes it (the last batch reaches the store first) and removes its data; resolves with the count stored. */
    async close() {
      const { stored } = await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      return stored;
    },
  };
}

type Run = { counts: Int32Array; times: Float64Array; shared: Shared; prefix: string };

async function publish(r: Run, from: number, to: number, pace?: number) {
  const pub = run({
    role: 'publisher',
    prefix: r.prefix,
    from,
    to,
    shared: r.shared,
    ...(pace === undefined ? {} : { pace }),
  });
  await pub.ended;
}

const timedFrom = (start: number, end: number, received: number): Timed => ({
  rate: (received * 1000) / (end - start),
  seconds: (end - start) / 1000,
  received,
});

/** Live: both subscribed, the warm-up read by both, then N published at full speed. */
async function live(r: Run) {
  const bare = run({ role: 'bare', filter: `${r.prefix}/#`, shared: r.shared });
  await until(() => Atomics.load(r.counts, 2) === 1, 'the bare subscriber');
  const ours = await startFlowscope(`${r.prefix}/#`, r.shared);
  try {
    await publish(r, 0, WARMUP);
    await until(() => r.counts[BARE]! >= WARMUP && r.counts[OURS]! >= WARMUP, 'the warm-up');
    const base = [r.counts[BARE]!, r.counts[OURS]!];
    // Flowscope runs on this thread: how long its event loop went without reading the socket.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const start = now();
    const published = publish(r, WARMUP, WARMUP + N).then(() => now());
    const bareDone = published.then(() => settled(r.counts, r.times, BARE, base[0]! + N));
    const oursDone = published
      .then(() => settled(r.counts, r.times, OURS, base[1]! + N))
      .then(async () => ({ last: r.times[OURS]!, received: r.counts[OURS]! - base[1]!, stored: await ours.close() }));
    const [end, , o] = await Promise.all([published, bareDone, oursDone]);
    stalls.disable();
    if (o.stored !== base[1]! + o.received)
      throw new Error(`the store holds ${o.stored} events, expected ${base[1]! + o.received}`);
    // Flowscope's time ends when its last event is stored (close), unless it waited out drops.
    const oursEnd = o.received === N ? now() : o.last;
    return {
      publisher: timedFrom(start, end, N),
      bare: timedFrom(start, r.times[BARE]!, r.counts[BARE]! - base[0]!),
      ours: timedFrom(start, oursEnd, o.received),
      stallMs: { max: stalls.max / 1e6, p99: stalls.percentile(99) / 1e6 },
    };
  } finally {
    await ours.close();
    await bare.stop();
  }
}

/** Paced, Flowscope alone: a fresh tap, its warm-up, then N published at most LEAD ahead of it. */
async function pacedOurs(r: Run): Promise<Timed> {
  const ours = await startFlowscope(`${r.prefix}/#`, r.shared);
  try {
    await publish(r, 0, WARMUP, OURS);
    await until(() => r.counts[OURS]! >= WARMUP, "Flowscope's warm-up");
    const start = now();
    await publish(r, WARMUP, WARMUP + N, OURS);
    await until(() => r.counts[OURS]! >= WARMUP + N, "Flowscope's last event");
    const stored = await ours.close();
    if (stored !== WARMUP + N) throw new Error(`the store holds ${stored} events, expected ${WARMUP + N}`);
    return timedFrom(start, now(), N);
  } finally {
    await ours.close();
  }
}

/** Paced, the bare subscriber alone. */
async function pacedBare(r: Run): Promise<Timed> {
  Atomics.store(r.counts, BARE, 0);
  Atomics.store(r.counts, 2, 0);
  const bare = run({ role: 'bare', filter: `${r.prefix}/#`, shared: r.shared });
  try {
    await until(() => Atomics.load(r.counts, 2) === 1, 'the bare subscriber');
    await publish(r, 0, WARMUP, BARE);
    await until(() => r.counts[BARE]! >= WARMUP, "the bare subscriber's warm-up");
    const start = now();
    await publish(r, WARMUP, WARMUP + N, BARE);
    await until(() => r.counts[BARE]! >= WARMUP + N, "the bare subscriber's last message");
    return timedFrom(start, r.times[BARE]!, N);
  } finally {
    await bare.stop();
  }
}

const row = (reader: string, t: Timed) => ({
  reader,
  received: `${t.received.toLocaleString()}${t.received < N ? ` (${(N - t.received).toLocaleString()} dropped)` : ''}`,
  'events/s': Math.round(t.rate).toLocaleString(),
  seconds: t.seconds.toFixed(1),
});

async function main() {
  const loadBefore = loadAverages();
  process.stderr.write(`MQTT ingest bench: ${N.toLocaleString()} messages of 1 KiB (${WARMUP} warm-up)…\n`);
  const shared: Shared = { counts: new SharedArrayBuffer(12), times: new SharedArrayBuffer(16) };
  const r: Run = {
    counts: new Int32Array(shared.counts),
    times: new Float64Array(shared.times),
    shared,
    prefix: `bench/${randomBytes(3).toString('hex')}`,
  };
  const l = await live(r);
  const paced = { ours: await pacedOurs(r), bare: await pacedBare(r) };
  console.log(`\nMQTT ingest · ${N.toLocaleString()} messages of 1 KiB JSON at QoS 1 · Mosquitto at ${MQTT_URL}`);
  console.log(
    `${cpus().length} × ${cpus()[0]?.model ?? '?'} · Node ${process.version} · load ${loadBefore} before, ${loadAverages()} after · ${WARMUP.toLocaleString()} messages of warm-up, not timed\n`,
  );
  console.log('Live: both readers subscribed, the publisher at full speed, each timed from the first publish');
  console.table([
    row(`publisher (mqtt.js, QoS 1, ${WINDOW} in flight)`, l.publisher),
    row('bare mqtt.js subscriber (QoS 1, counts only)', l.bare),
    row('Flowscope end to end (decode, correlate, map, SQLite store)', l.ours),
  ]);
  const share = (t: Timed) => `${((100 * t.received) / N).toFixed(0)}%`;
  console.log(
    `Received: Flowscope ${share(l.ours)}, bare mqtt.js ${share(l.bare)}. Flowscope's thread stalled up to ${l.stallMs.max.toFixed(0)} ms (p99 ${l.stallMs.p99.toFixed(0)} ms); Mosquitto queues 1,020 messages per subscriber by default, ${((1020 * 1000) / l.publisher.rate).toFixed(0)} ms of this publisher.`,
  );
  console.log(`\nPaced: each reader alone, the publisher at most ${LEAD} messages ahead of it (nothing dropped)`);
  console.table([
    row('bare mqtt.js subscriber (QoS 1, counts only)', paced.bare),
    row('Flowscope end to end (decode, correlate, map, SQLite store)', paced.ours),
  ]);
  console.log(`Flowscope / bare mqtt.js, paced: ${(paced.ours.rate / paced.bare.rate).toFixed(2)}`);
}

if (isMainThread) await main();
else {
  const job = workerData as Job;
  if (job.role === 'bare') await bareSubscriber(job.filter, job.shared);
  else await publisher(job);
}
