/**
 * `pnpm bench`: throughput of Flowscope's hot path on this machine, printed as a table.
 * Input is the demo shop's own records (realistic headers, keys and JSON), generated up front
 * so only Flowscope's work is timed.
 */
import { cpus, totalmem } from 'node:os';
import {
  correlate,
  correlatorStats,
  createCorrelator,
  createTopology,
  observeEvent,
  type FlowEvent,
  type Seq,
} from '@flowscope/shared';
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

function time(label: string, count: number, work: () => void) {
  const start = process.hrtime.bigint();
  work();
  const ns = Number(process.hrtime.bigint() - start);
  return {
    label,
    events: count,
    'events/s': Math.round(count / (ns / 1e9)),
    'µs/event': +(ns / 1e3 / count).toFixed(2),
  };
}

const records = demoRecords(N);
const bytes = records.reduce((n, r) => n + (r.value?.length ?? 0), 0);
const rows = [];

rows.push(
  time('decode + normalize + correlation keys', N, () => {
    for (const r of records) normalize(r, origin, 1, { maxPayloadBytes: 256 * 1024 });
  }),
);

const normalized = records.map(
  (r, i) => ({ ...normalize(r, origin, 1_700_000_000_000 + i, { maxPayloadBytes: 256 * 1024 }), seq: i + 1 }) as never,
);
rows.push(
  time('topology (map) update', N, () => {
    const t = createTopology();
    for (const e of normalized) observeEvent(t, e);
  }),
);

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const { ingest } = createPipeline({ bufferSize: N, maxPayloadBytes: 256 * 1024 });
const from = { sourceId: 'bench', origin };
rows.push(
  time('whole pipeline (normalize, seq, buffer, map, flows)', N, () => {
    // Batches of 500, as a broker fetch hands them over; with no schema decoding this runs synchronously.
    for (let i = 0; i < records.length; i += 500) void ingest.records(from, records.slice(i, i + 500));
  }),
);
global.gc?.();
const perEvent = (process.memoryUsage().heapUsed - heapBefore) / N;

/**
 * The correlation engine at scale: 1M events (about 125k orders of ~8 events, each order with
 * its own order id, correlation id and trace id) through key extraction and joining, all retained.
 * Records are generated in chunks outside the timed sections so the input never has to fit in memory.
 */
function engineAtScale(total: number) {
  const rng = createRandom(2);
  const correlator = createCorrelator({ maxEvents: total + 1, retentionMs: Number.MAX_SAFE_INTEGER });
  const queue: { at: number; run: () => void }[] = [];
  let now = 0;
  let chunk: ShopMessage[] = [];
  const shop = new Shop(rng, { after: (ms, run) => queue.push({ at: now + ms, run }), publish: (m) => chunk.push(m) });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let done = 0;
  let ns = 0n;
  let order = 0;
  while (done < total) {
    chunk = [];
    for (let i = 0; i < 500; i++) {
      order += 1;
      now = order * 50;
      shop.placeOrder();
      queue.sort((a, b) => a.at - b.at);
      while (queue.length > 0 && (queue[0]?.at ?? Infinity) <= now) queue.shift()?.run();
    }
    const records = chunk.slice(0, total - done).map((m) => toRecord(m, 1_700_000_000_000 + now, rng));
    const start = process.hrtime.bigint();
    for (const r of records) {
      done += 1;
      const e = {
        ...normalize(r, origin, 1_700_000_000_000 + done, { maxPayloadBytes: 256 * 1024 }),
        seq: done as Seq,
      } as FlowEvent;
      correlate(correlator, e);
    }
    ns += process.hrtime.bigint() - start;
  }
  global.gc?.();
  const heap = process.memoryUsage().heapUsed - heapBefore;
  return {
    row: {
      label: `extract keys + join flows (${(total / 1e6).toFixed(1)}M retained)`,
      events: total,
      'events/s': Math.round(total / (Number(ns) / 1e9)),
      'µs/event': +(Number(ns) / 1e3 / total).toFixed(2),
    },
    perEventKiB: heap / total / 1024,
    stats: correlatorStats(correlator),
  };
}

const scale = engineAtScale(Number(process.env.BENCH_ENGINE_EVENTS ?? 1_000_000));
rows.push(scale.row);

console.log(
  `\nFlowscope bench · ${N.toLocaleString()} demo events (avg ${Math.round(bytes / N)} B JSON) · node ${process.version} · ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB\n`,
);
console.table(rows);
console.log(
  `correlation engine: ${scale.stats.flows.toLocaleString()} flows, ${scale.stats.merges.toLocaleString()} merges; ${scale.perEventKiB.toFixed(2)} KiB of heap per retained event (event + indexes)`,
);
console.log(
  `memory per buffered event: ${(perEvent / 1024).toFixed(2)} KiB (heap, after GC${global.gc ? '' : ' — run with --expose-gc for a steadier figure'})\n`,
);
