/**
 * A source on a thread of its own: the broker client (protocol decoding, decompression) and
 * normalize (payload decoding, hashing, correlation keys, masks, schemas) run on a second core,
 * and the main thread receives normalized events, as it does from a replayed capture. The main
 * thread keeps sequencing, correlation, the map, HTTP and live clients (ADR 0024).
 *
 * The same module is the thread's entry: loaded with `workerData.flowscopeSourceThread`, it builds
 * the source from its configuration with the plugin and serves the main thread's requests.
 */
import { isMainThread, parentPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import {
  CATALOG_MAX_TYPES,
  catalogSamples,
  type Consumer,
  type CorrelationRule,
  type SourceState,
} from '@flowscope/shared';
import type { DecodingConfig } from './ingest/decoding/stage.js';
import type { Normalized } from './ingest/normalize.js';
import { startThread } from './threads.js';
import { EncodedReader, encodeEvents } from './ingest/encodedEvents.js';
import type { MaskRule } from './ingest/mask.js';
import type { ConsumerReader, ConsumerReading, SourceConfig } from './sources/plugin.js';
import type {
  EncodedEvents,
  EventSource,
  LagReading,
  NormalizedExtras,
  SourceGap,
  SourceProblem,
  SourceSink,
  UnsequencedEvent,
} from './sources/contract.js';

/** What normalize needs, as configuration (compiled again on the thread). */
export type ThreadNormalizeConfig = {
  readonly maxPayloadBytes: number;
  readonly rules: readonly CorrelationRule[];
  readonly producerHeaders: readonly string[];
  readonly masks: readonly MaskRule[];
  readonly decoding: DecodingConfig;
};

type Setup = {
  readonly flowscopeSourceThread: true;
  readonly config: SourceConfig;
  readonly normalize: ThreadNormalizeConfig;
};

type ToThread = { t: 'start' } | { t: 'stop' } | { t: 'taken'; id: number } | { t: 'read'; id: number; now: number };

type FromThread =
  | { t: 'started' }
  | { t: 'events'; id: number; batch: EncodedEvents }
  | { t: 'state'; state: SourceState; problem?: SourceProblem }
  | { t: 'gap'; gap: SourceGap }
  | { t: 'consumers'; consumers: readonly Consumer[] }
  | { t: 'lag'; reading: readonly LagReading[] }
  | { t: 'leftovers'; leftovers: string[] }
  | { t: 'reading'; id: number; reading?: Consumer[] | ConsumerReading; error?: string }
  | { t: 'stopped'; leftovers: string[] }
  | { t: 'failed'; message: string };

/** How long a stop waits for the thread to stop its source before the thread is ended anyway. */
const STOP_WAIT_MS = 30_000;

/**
 * The main thread's side: an EventSource whose work happens on the thread. Metadata (id, target,
 * servers) comes from the same source created here, unstarted (a source loads its client only
 * when started).
 */
export class ThreadedSource implements EventSource {
  readonly id: string;
  readonly broker: EventSource['broker'];
  readonly cluster: string;
  readonly target: string;
  readonly servers?: readonly string[];
  private worker?: Worker;
  private sink?: SourceSink;
  private lastLeftovers: string[] = [];
  private readonly readings = new Map<
    number,
    { resolve(r: Consumer[] | ConsumerReading): void; reject(e: Error): void }
  >();
  private nextRead = 0;
  private stopping?: Promise<void>;
  private stoppedResolve?: () => void;
  /** Batches handed to ingest and not yet taken: a stop waits for them. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    described: EventSource,
    private readonly config: SourceConfig,
    private readonly normalize: ThreadNormalizeConfig,
  ) {
    this.id = described.id;
    this.broker = described.broker;
    this.cluster = described.cluster;
    this.target = described.target;
    if (described.servers) this.servers = described.servers;
  }

  start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    const setup: Setup = { flowscopeSourceThread: true, config: this.config, normalize: this.normalize };
    const worker = startThread(new URL(import.meta.url), { workerData: setup });
    this.worker = worker;
    return new Promise<void>((resolve) => {
      worker.on('message', (m: FromThread) => {
        if (m.t === 'started') resolve();
        else this.received(m);
      });
      worker.on('error', (err) => {
        sink.state('disconnected', {
          reason: 'unreachable',
          message: `The thread reading ${this.target} failed: ${err.message}`,
          hint: 'This is a bug in Flowscope; the log has the details. Restart Flowscope to read again.',
        });
        resolve();
      });
      worker.on('exit', () => {
        resolve();
        this.stoppedResolve?.();
        for (const r of this.readings.values()) r.reject(new Error('the source thread has ended'));
        this.readings.clear();
      });
      this.post({ t: 'start' });
    });
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const worker = this.worker;
      if (!worker) return;
      const stopped = new Promise<void>((resolve) => (this.stoppedResolve = resolve));
      this.post({ t: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(timer);
      // Everything the thread sent before it stopped reaches ingest before stop resolves.
      await Promise.all(this.pending);
      this.sink = undefined;
      await worker.terminate();
    })();
    return this.stopping;
  }

  leftovers(): string[] {
    return this.lastLeftovers;
  }

  /** The broker's consumers, read on the thread by the source's own reader. */
  consumerReader(everyMs: number): ConsumerReader {
    return {
      everyMs,
      read: (now) =>
        new Promise((resolve, reject) => {
          if (!this.worker || this.stopping) return resolve([]);
          const id = ++this.nextRead;
          this.readings.set(id, { resolve, reject });
          this.post({ t: 'read', id, now });
        }),
    };
  }

  private received(m: FromThread) {
    const sink = this.sink;
    switch (m.t) {
      case 'events': {
        if (!sink) return;
        const taken = takeEncoded(sink, m.batch).then(() => {
          this.pending.delete(taken);
          this.post({ t: 'taken', id: m.id });
        });
        this.pending.add(taken);
        return;
      }
      case 'state':
        sink?.state(m.state, m.problem);
        return;
      case 'gap':
        sink?.gap(m.gap);
        return;
      case 'consumers':
        sink?.consumers(m.consumers);
        return;
      case 'lag':
        sink?.lag(m.reading);
        return;
      case 'leftovers':
        this.lastLeftovers = m.leftovers;
        return;
      case 'stopped':
        this.lastLeftovers = m.leftovers;
        this.stoppedResolve?.();
        return;
      case 'reading': {
        const r = this.readings.get(m.id);
        this.readings.delete(m.id);
        if (m.reading) r?.resolve(m.reading);
        else r?.reject(new Error(m.error ?? 'reading consumers failed'));
        return;
      }
      case 'failed':
        sink?.state('disconnected', {
          reason: 'misconfigured',
          message: `The thread reading ${this.target} could not start: ${m.message}`,
          hint: 'Check the source configuration; the log has the details.',
        });
        return;
      case 'started':
        return;
    }
  }

  private post(m: ToThread) {
    try {
      this.worker?.postMessage(m);
    } catch {
      // The thread has ended; its exit handler settles what waits.
    }
  }
}

/** Hands an encoded batch to a sink, decoding it first for a sink that takes only events. */
function takeEncoded(sink: SourceSink, batch: EncodedEvents): Promise<void> {
  if (sink.encoded) return sink.encoded(batch);
  const reader = new EncodedReader(batch);
  const read = Array.from({ length: batch.count }, (_, i) => reader.at(i));
  return sink.events(
    read.map((r) => r.event),
    { valueHashed: Uint8Array.from(read, (r) => (r.valueHashed ? 1 : 0)), parsed: read.map((r) => r.parsed) },
  );
}

type Post = (m: FromThread, transfer?: ArrayBuffer[]) => void;

/** The thread's source, its consumer reader, the sink that normalizes, and what waits on the main thread. */
type Served = {
  readonly source: EventSource;
  readonly reader?: ConsumerReader;
  readonly sink: SourceSink;
  /** Resolves the batch the main thread has taken. */
  taken(id: number): void;
  /** Settles when every batch handed over so far has crossed and been taken. */
  drained(): Promise<unknown>;
};

/** Builds the source with its plugin and a sink that normalizes before anything crosses over. */
async function build(setup: Setup, post: Post): Promise<Served> {
  // Loaded here, not at the top: the main thread's copy of this module needs none of it.
  const [{ pluginOf }, { logger }, { normalizeRecord }, { compileMasks }, { DecodingStage }] = await Promise.all([
    import('./sources/plugins.js'),
    import('./log.js'),
    import('./ingest/normalize.js'),
    import('./ingest/mask.js'),
    import('./ingest/decoding/stage.js'),
  ]);
  const plugin = pluginOf(setup.config);
  const log = logger(plugin.sourceId(setup.config));
  const source = plugin.create(setup.config, log);
  const reader = plugin.consumerReader?.(source, setup.config);
  const n = setup.normalize;
  const options = {
    maxPayloadBytes: n.maxPayloadBytes,
    rules: n.rules,
    producerHeaders: n.producerHeaders,
    masks: compileMasks(n.masks),
  };
  const decoding = new DecodingStage(n.decoding);
  const origin = { broker: source.broker, cluster: source.cluster };
  const outbox = new Outbox(post);
  const send = (events: UnsequencedEvent[], extras?: NormalizedExtras) => outbox.send(events, extras);
  /** Batches leave in the order they came, also when a schema lookup makes one wait. */
  let tail: Promise<unknown> = Promise.resolve();
  const sampled = catalogSampler();
  const sink: SourceSink = {
    records(batch) {
      const run = tail
        .then(async () => {
          const decoded = decoding.enabled ? await decoding.decode(source.id, batch) : batch;
          const now = Date.now();
          const { events, extras } = crossing(
            decoded.map((r) => normalizeRecord(r, origin, now, options)),
            sampled,
          );
          await send(events, extras);
        })
        .catch((err: unknown) => log.error({ err }, 'a batch from this source could not be ingested'));
      tail = run;
      return run;
    },
    events(batch) {
      const run = tail.then(() => send([...batch]));
      tail = run;
      return run;
    },
    state(state, problem) {
      post({ t: 'state', state, ...(problem ? { problem } : {}) });
      post({ t: 'leftovers', leftovers: source.leftovers?.() ?? [] });
    },
    gap: (gap) => post({ t: 'gap', gap }),
    consumers: (consumers) => post({ t: 'consumers', consumers }),
    lag: (reading) => post({ t: 'lag', reading }),
  };
  return {
    source,
    ...(reader ? { reader } : {}),
    sink,
    taken: (id) => outbox.taken(id),
    drained: () => tail.then(() => outbox.empty()),
  };
}

/**
 * How far a source may read ahead of the main thread, in events sent and not yet taken there.
 * Waiting for each batch to be taken before reading the next left both threads idle half the
 * time (one reads while the other ingests, in turn); a bounded window lets them overlap and
 * still holds a source that is faster than ingest back.
 */
const AHEAD_EVENTS = 3_000;

/** Batches on their way to the main thread, and the backpressure on the source (AHEAD_EVENTS). */
export class Outbox {
  private nextId = 0;
  private ahead = 0;
  private readonly sizes = new Map<number, number>();
  private waiters: (() => void)[] = [];

  constructor(private readonly post: Post) {}

  /** Resolves at once while within the window, otherwise once the main thread has caught up. */
  send(events: UnsequencedEvent[], extras?: NormalizedExtras): Promise<void> {
    const id = ++this.nextId;
    this.sizes.set(id, events.length);
    this.ahead += events.length;
    const { batch, transfer } = encodeEvents(events, extras);
    this.post({ t: 'events', id, batch }, transfer);
    if (this.ahead <= AHEAD_EVENTS) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  taken(id: number): void {
    this.ahead -= this.sizes.get(id) ?? 0;
    this.sizes.delete(id);
    if (this.ahead > AHEAD_EVENTS && this.sizes.size > 0) return;
    const ready = this.waiters;
    this.waiters = [];
    for (const resolve of ready) resolve();
  }

  /** Resolves when the main thread has taken everything sent. */
  async empty(): Promise<void> {
    while (this.sizes.size > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Events per channel and type, counted as the main thread's catalog counts them: says which
 * payload values the catalog will sample, so they cross over with their event and are not parsed
 * again there.
 */
function catalogSampler(): (e: UnsequencedEvent) => boolean {
  const counts = new Map<string, number>();
  return (e) => {
    const key = `${e.channel}\u0000${e.type ?? ''}`;
    const n = (counts.get(key) ?? 0) + 1;
    if (counts.size < CATALOG_MAX_TYPES || counts.has(key)) counts.set(key, n);
    return catalogSamples(n);
  };
}

/** Normalized events and what crosses over beside them (sampled payload values, hash flags). */
function crossing(
  normalized: readonly Normalized[],
  sampled: (e: UnsequencedEvent) => boolean,
): { events: UnsequencedEvent[]; extras: NormalizedExtras } {
  const events: UnsequencedEvent[] = [];
  const valueHashed = new Uint8Array(normalized.length);
  let parsed: unknown[] | undefined;
  for (const { event, json, valueHashed: hashed } of normalized) {
    if (json !== undefined && sampled(event)) (parsed ??= [])[events.length] = json;
    if (hashed) valueHashed[events.length] = 1;
    events.push(event);
  }
  return { events, extras: { valueHashed, ...(parsed ? { parsed } : {}) } };
}

/** Serves the main thread's requests on the thread. */
function handle(m: ToThread, s: Served, post: Post) {
  const leftovers = () => s.source.leftovers?.() ?? [];
  switch (m.t) {
    case 'start':
      void s.source.start(s.sink).then(() => {
        post({ t: 'leftovers', leftovers: leftovers() });
        post({ t: 'started' });
      });
      return;
    case 'taken':
      s.taken(m.id);
      return;
    case 'read':
      if (!s.reader) return post({ t: 'reading', id: m.id, reading: [] });
      s.reader.read(m.now).then(
        (reading) => post({ t: 'reading', id: m.id, reading }),
        (err: unknown) => post({ t: 'reading', id: m.id, error: (err as Error).message }),
      );
      return;
    case 'stop':
      void s.source
        .stop()
        .then(() => s.drained())
        .finally(() => post({ t: 'stopped', leftovers: leftovers() }));
      return;
  }
}

async function serve(port: MessagePort, setup: Setup) {
  const post: Post = (m, transfer) => port.postMessage(m, transfer);
  try {
    const served = await build(setup, post);
    port.on('message', (m: ToThread) => handle(m, served, post));
  } catch (err) {
    post({ t: 'failed', message: (err as Error).message });
    post({ t: 'started' });
    port.on('message', (m: ToThread) => {
      if (m.t === 'stop') post({ t: 'stopped', leftovers: [] });
    });
  }
}

const setup = workerData as Partial<Setup> | null;
if (!isMainThread && parentPort && setup?.flowscopeSourceThread) void serve(parentPort, setup as Setup);
