/**
 * The pipeline the fuzz suite feeds, set up as the server sets up its own: a store on disk, masks,
 * schema files for two channels and a 64 KiB --max-payload. It feeds a
 * source's records the ways the server does (on the main thread, or normalized as on a source
 * thread and handed over encoded), times every turn of the event loop while the app works, and
 * checks what came out against what went in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShowableTime, type EventOrigin, type FlowEvent } from '@flowscope/shared';
import type { RawRecord, UnsequencedEvent } from '../sources/contract.js';
import { Outbox } from '../sourceThread.js';
import { EventStore } from '../store/eventStore.js';
import { MAX_HEADERS, MAX_NAME } from './caps.js';
import { DecodingStage } from './decoding/stage.js';
import { compileMasks } from './mask.js';
import { normalizeRecord } from './normalize.js';
import { createPipeline, type Pipeline } from './pipeline.js';

export const MAX_PAYLOAD = 65_536;
/** Domain time of the run: the fuzzed records are stamped as received at it. */
export const NOW = 1_764_000_000_000;

/** A recursive Avro record and a recursive Protobuf message: garbage bytes meet both decoders. */
const AVRO_SCHEMA = {
  type: 'record',
  name: 'Node',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'long' },
    { name: 'next', type: ['null', 'Node'] },
  ],
};
const PROTO_SCHEMA = `syntax = "proto3";
package fuzz;
message Order { string id = 1; int64 total = 2; repeated Order children = 3; bytes blob = 4; map<string, string> tags = 5; }`;

/**
 * The longest turns of the event loop while the app worked (test code excluded): in wall time, and
 * in CPU time of the process. On a shared machine (a load average of 13 on 2 cores was seen while
 * this suite was written) a turn's wall time is its work divided by the share of a core the process
 * got; its CPU time is the work itself, which is what the app controls and what the bound is on.
 */
class StallMeter {
  maxWallMs = 0;
  maxCpuMs = 0;
  /** The longest turn's CPU time in the last `measure`. */
  lastCpuMs = 0;

  /**
   * Runs `work` with a setImmediate chain beside it: the time between two links is one turn of the
   * event loop, so the longest is the longest synchronous stretch the app held the thread.
   */
  async measure<T>(work: () => Promise<T>): Promise<T> {
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    let running = true;
    this.lastCpuMs = 0;
    const tick = () => {
      const now = performance.now();
      const cpu = process.cpuUsage(lastCpu);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      this.maxWallMs = Math.max(this.maxWallMs, now - last);
      this.lastCpuMs = Math.max(this.lastCpuMs, Math.min(cpuMs, now - last));
      this.maxCpuMs = Math.max(this.maxCpuMs, this.lastCpuMs);
      last = now;
      lastCpu = process.cpuUsage();
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      return await work();
    } finally {
      await new Promise((resolve) => setImmediate(resolve));
      running = false;
    }
  }
}

export type Harness = {
  readonly pipeline: Pipeline;
  readonly store: EventStore;
  readonly meter: StallMeter;
  /** A batch of one source's records, the way `threaded` sources hand them over or the others do. */
  ingest(origin: EventOrigin, records: readonly RawRecord[], threaded: boolean): Promise<readonly FlowEvent[]>;
  close(): Promise<void>;
};

export function openHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-fuzz-'));
  writeFileSync(join(dir, 'node.avsc'), JSON.stringify(AVRO_SCHEMA));
  writeFileSync(join(dir, 'order.proto'), PROTO_SCHEMA);
  // The inline writer, called between batches (the server's 100 ms store tick) outside what is
  // timed: in the server the writer is a thread of its own, and its CPU time is not the loop's.
  const store = EventStore.open({ dir: join(dir, 'data'), retentionMs: 3_600_000_000, maxBytes: 1024 ** 3 });
  const masks = compileMasks([
    { target: 'payload', path: 'card.number' },
    { target: 'header', path: 'authorization' },
    { target: 'key', path: '', channel: 'secrets.*' },
  ]);
  const decoding = new DecodingStage({
    files: [
      { channel: 'fuzz.avro', file: join(dir, 'node.avsc') },
      { channel: 'fuzz.proto', file: join(dir, 'order.proto'), message: 'fuzz.Order' },
    ],
  });
  const options = { maxPayloadBytes: MAX_PAYLOAD, masks };
  const pipeline = createPipeline({ bufferSize: 2000, store, decoding, now: () => NOW, ...options });
  const meter = new StallMeter();
  return {
    pipeline,
    store,
    meter,
    async ingest(origin, records, threaded) {
      const from = { sourceId: `${origin.broker}:${origin.cluster}`, origin };
      return threaded ? viaThread(pipeline, decoding, from, records, options) : pipeline.ingest.records(from, records);
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What a source thread does with a batch (sourceThread.ts): schema decoding, normalize, then the
 * Outbox encodes it in chunks (with the parsed payloads the catalog samples) and the main thread
 * takes it with `ingest.encoded`. Every parsed payload crosses here, a superset of the samples.
 */
async function viaThread(
  pipeline: Pipeline,
  decoding: DecodingStage,
  from: { sourceId: string; origin: EventOrigin },
  records: readonly RawRecord[],
  options: Parameters<typeof normalizeRecord>[3],
): Promise<readonly FlowEvent[]> {
  const decoded = await decoding.decode(from.sourceId, records);
  const normalized = decoded.map((r) => normalizeRecord(r, from.origin, NOW, options));
  const events: UnsequencedEvent[] = normalized.map((n) => n.event);
  const valueHashed = Uint8Array.from(normalized, (n) => (n.valueHashed ? 1 : 0));
  const parsed = normalized.map((n) => n.json);
  let taken: Promise<readonly FlowEvent[]> | undefined;
  const outbox = new Outbox((m) => {
    if (m.t === 'events') taken = pipeline.ingest.encoded(m.batch);
  });
  await outbox.send(events, { valueHashed, parsed });
  if (!taken) throw new Error('the outbox posted no batch');
  return taken;
}

/** Why an accepted event breaks a promise of ingest (caps, showable times), or undefined. */
export function brokenPromise(e: FlowEvent): string | undefined {
  if (!isShowableTime(e.timestamp) || !isShowableTime(e.receivedAt)) return `time ${e.timestamp}/${e.receivedAt}`;
  if (Object.keys(e.headers).length > MAX_HEADERS + 1) return `${Object.keys(e.headers).length} headers`;
  if ((e.type?.length ?? 0) > MAX_NAME + 1 || (e.producer?.length ?? 0) > MAX_NAME + 1)
    return 'type or producer uncapped';
  const bytes =
    e.payload.encoding === 'binary'
      ? Buffer.from(e.payload.value, 'base64').length
      : Buffer.byteLength(e.payload.value);
  if (bytes > MAX_PAYLOAD) return `payload of ${bytes} bytes kept`;
  return undefined;
}
