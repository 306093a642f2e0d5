/**
 * Kafka ingest for `pnpm bench`: a real broker (scripts/kafka.mjs), one topic of 1 KiB JSON events
 * on 3 partitions, read (1) by a bare kafkajs consumer that only counts, and (2) by Flowscope end
 * to end: decode, correlate, map, and write to the SQLite store. Same topic, same run.
 * BENCH_KAFKA_EVENTS sets the count (default 100,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { benchEvent } from './traffic.js';
import { floorParts } from './kafkaFloor.js';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { buildCli, resolveConfig } from '../config.js';
import { startServer } from '../server.js';
import { EventStore } from '../store/eventStore.js';

type RunningKafka = { brokers: string; version: string; stop(): Promise<void> };
type KafkaScript = { startKafka(o?: { props?: Record<string, string | number> }): Promise<RunningKafka> };

const N = Number(process.env.BENCH_KAFKA_EVENTS ?? 100_000);
const PARTITIONS = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

function event(i: number): { key: string; value: string; headers: Record<string, string> } {
  const e = benchEvent(i);
  return {
    key: e.orderId,
    value: e.body,
    headers: {
      'correlation-id': e.correlationId,
      'event-type': e.type,
      producer: e.producer,
      'message-id': e.messageId,
    },
  };
}

async function produce(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let i = 0; i < N; i += 2000) {
    await producer.send({
      topic,
      acks: 1,
      messages: Array.from({ length: Math.min(2000, N - i) }, (_, j) => event(i + j)),
    });
  }
  await producer.disconnect();
}

/**
 * Events per second from the first message to the last one, and the process's CPU per event over
 * that time (only this consumer runs then). `eachMessage` as most applications read; `eachBatch`
 * without its per-message promise, the cheapest way kafkajs hands records over.
 */
async function bareKafkajs(
  kafka: Kafka,
  topic: string,
  mode: 'eachMessage' | 'eachBatch',
): Promise<{ rate: number; seconds: number; cpuPerEvent: number }> {
  const consumer = kafka.consumer({ groupId: `bench-bare-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let count = 0;
  let first = 0;
  let last = 0;
  let cpu = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const counted = (k: number) => {
      if (count === 0) {
        first = performance.now();
        cpu = process.cpuUsage();
      }
      count += k;
      if (count >= N && last === 0) {
        last = performance.now();
        cpu = process.cpuUsage(cpu);
        resolve();
      }
    };
    void consumer.run(
      mode === 'eachMessage'
        ? { autoCommit: false, eachMessage: async () => counted(1) }
        : { autoCommit: false, eachBatch: async ({ batch }) => counted(batch.messages.length) },
    );
  });
  await consumer.disconnect();
  const seconds = (last - first) / 1000;
  return { rate: N / seconds, seconds, cpuPerEvent: (cpu.user + cpu.system) / N };
}

type Ours = {
  rate: number;
  cpuPerEvent: number;
  seconds: number;
  stored: number;
  loopP99: number;
  loopMax: number;
  peakRss: number;
  stopSeconds: number;
};

async function flowscope(brokers: string, topic: string, flags: string[] = []): Promise<Ours> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-kbench-'));
  const cli = buildCli()
    .exitOverride()
    .parse(
      [
        ...['--port', '0', '--no-demo', '--kafka', brokers, '--topics', topic, '--from', 'earliest'],
        ...['--data-dir', dataDir, ...flags],
      ],
      { from: 'user' },
    );
  const resolved = resolveConfig(cli);
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  const server = await startServer({ ...resolved.config, bufferSize: 20_000 });
  // The main thread's responsiveness while ingest runs flat out: what HTTP and live clients wait.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = process.memoryUsage.rss();
  const rss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  let first = 0;
  let cpu = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const off = server.pipeline.ingest.onEvent(() => {
      if (first === 0) {
        first = performance.now();
        cpu = process.cpuUsage();
        loop.enable();
      }
      if (server.pipeline.queries.latestSeq >= N) {
        off();
        resolve();
      }
    });
  });
  // Until the last event is written: everything taken, then the store's writer drained.
  await server.pipeline.ingest.drained();
  server.pipeline.store?.flush();
  const seconds = (performance.now() - first) / 1000;
  cpu = process.cpuUsage(cpu);
  loop.disable();
  // What a Ctrl-C takes: the source stops and leaves its group, the store closes.
  const stopping = performance.now();
  await server.close();
  const stopSeconds = (performance.now() - stopping) / 1000;
  clearInterval(rss);
  const store = EventStore.open({
    dir: dataDir,
    retentionMs: Number.MAX_SAFE_INTEGER,
    maxBytes: Number.MAX_SAFE_INTEGER,
  });
  const stored = store.count();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    rate: N / seconds,
    cpuPerEvent: (cpu.user + cpu.system) / N,
    seconds,
    stored,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
    peakRss,
    stopSeconds,
  };
}

/** The least CPU per event any end-to-end ingest needs here, and the rate two cores allow at most. */
async function printFloor(clientCpu: number) {
  const parts = await floorParts(Array.from({ length: 50_000 }, (_, i) => benchEvent(i).body));
  const sum = clientCpu + parts.parse + parts.deflate + parts.copy;
  console.log('\nThe least work per event, each part timed alone (CPU µs per event):');
  console.table([
    { part: 'kafkajs fetch and decode (bare eachBatch consumer above)', 'CPU µs/event': clientCpu.toFixed(1) },
    { part: 'JSON.parse of the 1 KiB payload, once', 'CPU µs/event': parts.parse.toFixed(1) },
    { part: 'deflate for the store (level 1, 16-line pieces, dictionary)', 'CPU µs/event': parts.deflate.toFixed(1) },
    { part: 'one copy between threads (postMessage)', 'CPU µs/event': parts.copy.toFixed(1) },
    { part: 'sum', 'CPU µs/event': sum.toFixed(1) },
  ]);
  console.log(
    `At most ${Math.round((2 * 1e6) / sum).toLocaleString()} events/s on two fully used cores for these parts alone, before sequencing, correlation, the map, the catalog, SQLite, garbage collection and the broker's own CPU on the same machine.`,
  );
}

const { startKafka } = (await import(pathToFileURL(join(root, 'scripts', 'kafka.mjs')).href)) as KafkaScript;
process.stderr.write(`Kafka ingest bench: starting a broker, producing ${N.toLocaleString()} events of 1 KiB…\n`);
const broker = await startKafka({ props: { 'offsets.topic.num.partitions': 1 } });
try {
  const kafka = new Kafka({ clientId: 'bench', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const topic = `bench-${randomBytes(3).toString('hex')}`;
  await produce(kafka, topic);
  const bare = await bareKafkajs(kafka, topic, 'eachMessage');
  const bareBatch = await bareKafkajs(kafka, topic, 'eachBatch');
  const ours = await flowscope(broker.brokers, topic);
  // The same with the source on the main thread, for what the thread brings.
  const inline = await flowscope(broker.brokers, topic, ['--no-source-threads']);
  for (const run of [ours, inline])
    if (run.stored !== N) throw new Error(`the store holds ${run.stored} events, expected ${N}`);
  console.log(
    `\nKafka ingest · ${N.toLocaleString()} events of 1 KiB JSON on ${PARTITIONS} partitions · Kafka ${broker.version}\n`,
  );
  console.table([
    ...[
      ['bare kafkajs consumer, eachMessage (counts only)', bare] as const,
      ['bare kafkajs consumer, eachBatch (counts only)', bareBatch] as const,
    ].map(([reader, run]) => ({
      reader,
      'events/s': Math.round(run.rate).toLocaleString(),
      seconds: run.seconds.toFixed(1),
      'CPU µs/event': run.cpuPerEvent.toFixed(1),
    })),
    ...[
      ['Flowscope end to end, until stored (source on its thread)', ours] as const,
      ['Flowscope end to end, --no-source-threads', inline] as const,
    ].map(([reader, run]) => ({
      reader,
      'events/s': Math.round(run.rate).toLocaleString(),
      seconds: run.seconds.toFixed(1),
      'CPU µs/event': run.cpuPerEvent.toFixed(1),
      'vs bare': (run.rate / bare.rate).toFixed(2),
      'loop delay p99 / max (ms)': `${run.loopP99.toFixed(0)} / ${run.loopMax.toFixed(0)}`,
      'peak RSS (MiB)': (run.peakRss / 2 ** 20).toFixed(0),
      'stop (s)': run.stopSeconds.toFixed(2),
    })),
  ]);
  console.log(
    'End to end: decode, correlate, map, catalog and the SQLite store, from the first event until the last one is written. CPU: the whole process over that time, all threads. Loop delay: the main thread (HTTP, live clients) during ingest. Peak RSS: the whole process, the bare consumer included. Stop: the server closing after that (source stopped, group left, store closed), as at Ctrl-C. "vs bare": against eachMessage.',
  );
  await printFloor(bareBatch.cpuPerEvent);
} finally {
  await broker.stop();
}
