/**
 * Store figures for `pnpm bench`: append rate (compress and write on one core, the work of the
 * writer thread), bytes on disk per event next to the payload bytes per event, flow lookup latency
 * by key with N events stored, and peak RSS. N defaults to 1M; BENCH_STORE_EVENTS=10000000
 * measures 10M (several minutes), 100000000 the 100M the store is sized for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correlatorFor, createCorrelator, getFlow, percentile, type FlowEvent, type Seq } from '@flowscope/shared';
import { normalizeRecord } from '../ingest/normalize.js';
import { createRandom } from '../sources/demo/random.js';
import { Shop, type ShopMessage } from '../sources/demo/shop.js';
import { toRecord } from '../sources/demo/wire.js';
import { EventStore } from '../store/eventStore.js';

const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return d.user + d.system;
};
const total = Number(process.env.BENCH_STORE_EVENTS ?? 1_000_000);
const origin = { broker: 'demo' as const, cluster: 'shop' };
const dir = mkdtempSync(join(tmpdir(), 'flowscope-bench-'));
const store = EventStore.open({ dir, retentionMs: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER });

const rng = createRandom(3);
const queue: { at: number; run: () => void }[] = [];
let now = 0;
let chunk: ShopMessage[] = [];
const shop = new Shop(rng, { after: (ms, run) => queue.push({ at: now + ms, run }), publish: (m) => chunk.push(m) });
const orderIds: string[] = [];
let seq = 0;
let writeNs = 0n;
let writeCpuUs = 0;
let lastCpuUs = 0;
let payloadBytes = 0;
let peakRss = 0;
let order = 0;
/** The first events again, through the writer thread the server uses. */
const THREAD_EVENTS = Math.min(total, 50_000);
const threadSample: FlowEvent[] = [];
const threadHashed: boolean[] = [];
const started = Date.now();
while (seq < total) {
  chunk = [];
  for (let i = 0; i < 1000; i++) {
    order += 1;
    now = order * 20;
    shop.placeOrder();
    queue.sort((a, b) => a.at - b.at);
    while (queue.length > 0 && (queue[0]?.at ?? Infinity) <= now) queue.shift()?.run();
  }
  // As ingest hands them to the store: with normalize's word on whether each payload's hash is its value's.
  const hashed: boolean[] = [];
  const events: FlowEvent[] = chunk.slice(0, total - seq).map((m) => {
    seq += 1;
    const n = normalizeRecord(toRecord(m, 1_700_000_000_000 + now, rng), origin, 1_700_000_000_000 + now, {
      maxPayloadBytes: 256 * 1024,
    });
    hashed.push(n.valueHashed);
    return { ...n.event, seq: seq as Seq };
  });
  for (const e of events)
    if (e.type === 'order.placed' && rng.chance(0.01))
      orderIds.push(e.correlation.keys.find((k) => k.name === 'orderId')?.value ?? '');
  for (const e of events) payloadBytes += e.payload.size;
  if (threadSample.length < THREAD_EVENTS) {
    threadHashed.push(...hashed.slice(0, THREAD_EVENTS - threadSample.length));
    threadSample.push(...events.slice(0, THREAD_EVENTS - threadSample.length));
  }
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  events.forEach((e, i) => store.append(e, hashed[i]));
  store.send();
  writeNs += process.hrtime.bigint() - start;
  writeCpuUs += cpuSince(cpu);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (seq % 1_000_000 < events.length) {
    // Per million, the writer's CPU: a store whose append slows as it grows shows it here.
    process.stderr.write(
      `  stored ${seq.toLocaleString()} events (${Math.round((Date.now() - started) / 1000)} s; writing took ${((writeCpuUs - lastCpuUs) / 1e6).toFixed(1)} s of CPU for the last million)\n`,
    );
    lastCpuUs = writeCpuUs;
  }
}

const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
store.flush();
writeNs += process.hrtime.bigint() - start;
writeCpuUs += cpuSince(cpu);
// The server's way: the main thread only queues and hands batches over; the thread compresses and writes.
const threadDir = mkdtempSync(join(tmpdir(), 'flowscope-bench-'));
const threaded = EventStore.open({
  dir: threadDir,
  retentionMs: Number.MAX_SAFE_INTEGER,
  maxBytes: Number.MAX_SAFE_INTEGER,
  writer: 'thread',
});
threaded.flush(); // the thread is up (not counted)
const threadStart = process.hrtime.bigint();
let mainNs = 0n;
for (let i = 0; i < threadSample.length; i += 5000) {
  const t0 = process.hrtime.bigint();
  for (let j = i; j < Math.min(i + 5000, threadSample.length); j++)
    threaded.append(threadSample[j] as FlowEvent, threadHashed[j]);
  threaded.send();
  mainNs += process.hrtime.bigint() - t0;
  // The pipeline hands a batch over every 100 ms; here as fast as the writer takes them.
  await new Promise((resolve) => setImmediate(resolve));
}
threaded.flush();
const threadSeconds = Number(process.hrtime.bigint() - threadStart) / 1e9;
// A writer that failed (its failure is reported, not thrown) would look fast: count what it wrote.
if (threaded.count() !== threadSample.length)
  throw new Error(`the writer thread stored ${threaded.count()} of ${threadSample.length} events`);
await threaded.close();
rmSync(threadDir, { recursive: true, force: true });

const threadEvents = threadSample.length;
// The sample is about 280 MiB of heap: let it go, so the lookups below are not timed with the
// collections of a heap the server would not have.
threadSample.length = 0;
(globalThis as { gc?: () => void }).gc?.();

const lookups: number[] = [];
const lookupsCpu: number[] = [];
const rebuilds: number[] = [];
const judge = createCorrelator();
// 1,000 orders from all over the history, in random order: mostly blocks not read before.
const known = orderIds.filter(Boolean);
const sample = Array.from({ length: Math.min(1000, known.length) }, (_, i) =>
  String(known[Math.floor((i * known.length) / Math.min(1000, known.length))]),
).sort(() => rng.next() - 0.5);
for (const id of sample) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const events = store.closure(id, 5000);
  lookupsCpu.push(cpuSince(c0) / 1000);
  const t1 = process.hrtime.bigint();
  const c = correlatorFor(events, judge);
  getFlow(c, events[0]?.id ?? '', now);
  const t2 = process.hrtime.bigint();
  lookups.push(Number(t1 - t0) / 1e6);
  rebuilds.push(Number(t2 - t0) / 1e6);
}
const bytes = store.sizeBytes();
peakRss = Math.max(peakRss, process.memoryUsage.rss());
await store.close();
rmSync(dir, { recursive: true, force: true });

const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(`\nStore bench · ${total.toLocaleString()} demo events stored · load average ${load}\n`);
console.table([
  {
    measure: 'append: compress into blocks and write, one core',
    value: `${Math.round(total / (Number(writeNs) / 1e9)).toLocaleString()} events/s (${Math.round(total / (writeCpuUs / 1e6)).toLocaleString()} per CPU-second)`,
  },
  {
    measure: `writer thread: written, two threads (${threadEvents.toLocaleString()} events)`,
    value: `${Math.round(threadEvents / threadSeconds).toLocaleString()} events/s`,
  },
  {
    measure: 'writer thread: main thread time per event (queue, make the lines)',
    value: `${(Number(mainNs) / 1000 / threadEvents).toFixed(1)} µs`,
  },
  {
    measure: 'on disk per event (payload bytes per event)',
    value: `${Math.round(bytes / total)} B (${Math.round(payloadBytes / total)} B)`,
  },
  {
    measure: `flow lookup by order id, events only (${sample.length} lookups)`,
    value: `p50 ${percentile(lookups, 50).toFixed(2)} ms · p99 ${percentile(lookups, 99).toFixed(2)} ms`,
  },
  {
    measure: 'flow lookup by order id, CPU time',
    value: `p50 ${percentile(lookupsCpu, 50).toFixed(2)} ms · p99 ${percentile(lookupsCpu, 99).toFixed(2)} ms`,
  },
  {
    measure: 'flow lookup by order id, whole flow rebuilt and judged',
    value: `p50 ${percentile(rebuilds, 50).toFixed(2)} ms · p99 ${percentile(rebuilds, 99).toFixed(2)} ms`,
  },
  { measure: 'database size per million events', value: `${(((bytes / total) * 1e6) / 1024 ** 2).toFixed(0)} MiB` },
  { measure: 'peak RSS', value: `${Math.round(peakRss / 1024 ** 2)} MiB` },
]);
