/**
 * `pnpm bench`: throughput of Flowscope's hot path on this machine, printed as a table.
 * Input is the demo shop's own records (realistic headers, keys and JSON), generated up front
 * so only Flowscope's work is timed.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import {
  correlate,
  correlatorStats,
  createCorrelator,
  createInsights,
  createTopology,
  learnSettledFlow,
  observeEvent,
  observeInsights,
  tickCorrelator,
  type FlowEvent,
  type Seq,
} from '@flowscope/shared';
import { encodeEvents, EncodedReader } from '../ingest/encodedEvents.js';
import { normalize } from '../ingest/normalize.js';
import { createPipeline } from '../ingest/pipeline.js';
import { createRandom } from '../sources/demo/random.js';
import { Shop, type ShopMessage } from '../sources/demo/shop.js';
import { toRecord } from '../sources/demo/wire.js';
import type { RawRecord } from '../sources/contract.js';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const origin = { broker: 'demo' as const, cluster: 'shop' };

function demoRecords(count: number): RawRecord[] {
  const rng = createRandom(1);
  const messages: ShopMessage[] = [];
  const queue: { at: number; run: () => void }[] = [];
  let now = 0;
  const shop = new Shop(rng, {
    after: (ms, run) => queue.push({ at: now + ms, run }),
    publish: (m) => messages.push(m),
  });
  let order = 0;
  while (messages.length < count) {
    shop.placeOrder();
    order += 1;
    now = order * 100;
    // Drain what is due; an order produces about 8 events.
    queue.sort((a, b) => a.at - b.at);
    while (queue.length > 0 && (queue[0]?.at ?? Infinity) <= now + 2000) queue.shift()?.run();
  }
  return messages.slice(0, count).map((m, i) => toRecord(m, 1_700_000_000_000 + i, rng));
}

/**
 * Wall time, and the process's CPU time (all its threads: GC helpers too). The machine is shared,
 * so events per CPU-second is the steadier figure for one core's work.
 */
type Timing = { ns: number; cpuUs: number };

async function measure(work: () => void | Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const ns = Number(process.hrtime.bigint() - start);
  const used = process.cpuUsage(cpu);
  return { ns, cpuUs: used.user + used.system };
}

const row = (label: string, count: number, t: Timing) => ({
  label,
  events: count,
  'events/s': Math.round(count / (t.ns / 1e9)),
  'events/CPU-s': Math.round(count / (t.cpuUs / 1e6)),
  'µs/event': +(t.ns / 1e3 / count).toFixed(2),
});

const time = async (label: string, count: number, work: () => void) => row(label, count, await measure(work));

const records = demoRecords(N);
const bytes = records.reduce((n, r) => n + (r.value?.length ?? 0), 0);
const rows = [];

rows.push(
  await time('decode + normalize + correlation keys', N, () => {
    for (const r of records) normalize(r, origin, 1, { maxPayloadBytes: 256 * 1024 });
  }),
);

const normalized = records.map(
  (r, i) => ({ ...normalize(r, origin, 1_700_000_000_000 + i, { maxPayloadBytes: 256 * 1024 }), seq: i + 1 }) as never,
);
rows.push(
  await time('topology (map) update', N, () => {
    const t = createTopology();
    for (const e of normalized) observeEvent(t, e);
  }),
);

/** The JS heap and ArrayBuffers (where the engine's indexes live), after GC. */
const heapUsed = () => {
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const heapBefore = heapUsed();
const { ingest } = createPipeline({ bufferSize: N, maxPayloadBytes: 256 * 1024 });
const from = { sourceId: 'bench', origin };
rows.push(
  row(
    'whole pipeline (normalize, seq, buffer, map, flows)',
    N,
    await measure(async () => {
      // Batches of 500, as a broker fetch hands them over, each awaited as a source awaits it.
      for (let i = 0; i < records.length; i += 500) await ingest.records(from, records.slice(i, i + 500));
    }),
  ),
);
const perEvent = (heapUsed() - heapBefore) / N;

/**
 * Shop events normalized outside the timed sections, in first-seen order, a chunk of about 4,000
 * at a time (the bench holds no more than a chunk: the engine's heap is what it retains); `tenant`
 * adds a tenantId key.
 */
function* shopEvents(total: number, seed: number, tenant?: (orderId: string) => string): Generator<FlowEvent[]> {
  const rng = createRandom(seed);
  const queue: { at: number; run: () => void }[] = [];
  let now = 0;
  let chunk: ShopMessage[] = [];
  const shop = new Shop(rng, { after: (ms, run) => queue.push({ at: now + ms, run }), publish: (m) => chunk.push(m) });
  let made = 0;
  let order = 0;
  while (made < total) {
    chunk = [];
    for (let i = 0; i < 500; i++) {
      order += 1;
      now = order * 50;
      shop.placeOrder();
      queue.sort((a, b) => a.at - b.at);
      while (queue.length > 0 && (queue[0]?.at ?? Infinity) <= now) queue.shift()?.run();
    }
    const events: FlowEvent[] = [];
    for (const m of chunk.slice(0, total - made)) {
      const n = ++made;
      const e = normalize(toRecord(m, 1_700_000_000_000 + now, rng), origin, 1_700_000_000_000 + n, {
        maxPayloadBytes: 256 * 1024,
      });
      const keys = tenant ? [...e.correlation.keys, { name: 'tenantId', value: tenant(m.order.orderId) }] : null;
      events.push({ ...e, seq: n as Seq, ...(keys ? { correlation: { ...e.correlation, keys } } : {}) } as FlowEvent);
    }
    yield fromSourceThread(events);
  }
}

/**
 * The events as the main thread holds them when a source thread read them (Kafka, Redis Streams,
 * NATS): decoded from their chunks, strings fresh from JSON.parse. (Events normalized on the main
 * thread carry ids concatenated from parts, which the engine flattens as it hashes them.)
 */
function fromSourceThread(events: FlowEvent[]): FlowEvent[] {
  const out: FlowEvent[] = [];
  for (let from = 0; from < events.length; from += 10_000) {
    const part = events.slice(from, from + 10_000);
    const reader = new EncodedReader(encodeEvents(part).batch);
    part.forEach((e, i) => out.push({ ...reader.at(i).event, seq: e.seq } as FlowEvent));
  }
  return out;
}

/**
 * The correlation engine alone (keys already extracted: normalize is the row above), all events
 * retained, as the server retains them with a store: what joining and judging flows needs of each
 * event, the events themselves read back from the buffer or the store when a flow is shown whole
 * (ADR 0025). Only `correlate` is timed (CPU of the process in those calls); its heap is measured
 * after GC with nothing else held: flows, key, ref and slot indexes, and what is kept per event.
 */
async function engineAlone(chunks: Iterable<FlowEvent[]>, count: number) {
  const correlator = createCorrelator({
    maxEvents: count + 1,
    retentionMs: Number.MAX_SAFE_INTEGER,
    // `BENCH_ENGINE_KEEP=1`: as without a store, every event kept whole by the engine.
    ...(process.env.BENCH_ENGINE_KEEP === '1' ? {} : { resolveEvents: (facts) => facts.map(() => undefined) }),
  });
  const before = heapUsed();
  const timing: Timing = { ns: 0, cpuUs: 0 };
  for (const events of chunks) {
    // What making the chunk left on the young generation goes before the timed section.
    global.gc?.({ type: 'minor' });
    const t = await measure(() => {
      for (const e of events) correlate(correlator, e);
    });
    timing.ns += t.ns;
    timing.cpuUs += t.cpuUs;
  }
  const engineBytes = heapUsed() - before;
  return { timing, engineBytes, stats: correlatorStats(correlator) };
}

const ENGINE_N = Number(process.env.BENCH_ENGINE_EVENTS ?? 1_000_000);
const scale = await engineAlone(shopEvents(ENGINE_N, 2), ENGINE_N);
rows.push(row(`correlation engine alone (${(ENGINE_N / 1e6).toFixed(1)}M retained)`, ENGINE_N, scale.timing));
const scaleStats = scale.stats;

/**
 * The architecture insights alone (ADR 0027), same shop events: what each event adds to them,
 * and what each flow adds once it settles (flows settled outside the timed sections, then learned from).
 */
async function insightsAlone(chunks: Iterable<FlowEvent[]>) {
  const state = createInsights();
  const settled: Parameters<typeof learnSettledFlow>[] = [];
  const correlator = createCorrelator({
    maxEvents: Number.MAX_SAFE_INTEGER,
    onSettle: (ordered, flow) => settled.push([state, ordered, flow]),
  });
  const timing: Timing = { ns: 0, cpuUs: 0 };
  const add = (t: Timing) => {
    timing.ns += t.ns;
    timing.cpuUs += t.cpuUs;
  };
  for (const events of chunks) {
    global.gc?.({ type: 'minor' });
    add(
      await measure(() => {
        for (const e of events) observeInsights(state, e);
      }),
    );
    for (const e of events) correlate(correlator, e);
    tickCorrelator(correlator, (events[events.length - 1]?.timestamp ?? 0) + 60_000);
    add(
      await measure(() => {
        for (const flow of settled) learnSettledFlow(...flow);
      }),
    );
    settled.length = 0;
  }
  return timing;
}
const INSIGHTS_N = Math.min(ENGINE_N, 500_000);
rows.push(
  row(
    `insights alone, per event and per settled flow (${INSIGHTS_N.toLocaleString()} events)`,
    INSIGHTS_N,
    await insightsAlone(shopEvents(INSIGHTS_N, 4)),
  ),
);

// Hot key: every event also carries tenantId; all share one value (hot) or each order has its own (cold).
const HOT_N = Number(process.env.BENCH_HOT_EVENTS ?? 100_000);
const cold = await engineAlone(
  shopEvents(HOT_N, 3, (orderId) => `T-${orderId}`),
  HOT_N,
);
const hot = await engineAlone(
  shopEvents(HOT_N, 3, () => 'T-acme'),
  HOT_N,
);
rows.push(row(`engine, tenantId per order (cold), ${HOT_N.toLocaleString()} events`, HOT_N, cold.timing));
rows.push(row(`engine, one tenantId on all ${HOT_N.toLocaleString()} events (hot)`, HOT_N, hot.timing));

console.log(
  `\nFlowscope bench · ${N.toLocaleString()} demo events (avg ${Math.round(bytes / N)} B JSON) · node ${process.version} · ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
console.table(rows);
console.log(
  `correlation engine, ${ENGINE_N.toLocaleString()} retained: ${scaleStats.flows.toLocaleString()} flows, ${scaleStats.merges.toLocaleString()} merges; engine heap ${Math.round(scale.engineBytes / ENGINE_N)} B per retained event (everything the engine holds: flows, indexes, key records, what it keeps of each event)`,
);
console.log(
  `hot key: ${hot.stats.flows.toLocaleString()} flows with one tenantId on ${HOT_N.toLocaleString()} events, ${cold.stats.flows.toLocaleString()} with one per order; hot/cold events per CPU-s ${(cold.timing.cpuUs / hot.timing.cpuUs).toFixed(2)}`,
);
console.log(
  `memory per buffered event: ${(perEvent / 1024).toFixed(2)} KiB (heap, after GC${global.gc ? '' : ' — run with --expose-gc for a steadier figure'})\n`,
);
