import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventOrigin, Gap, StoreStatus } from '@flowscope/shared';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import { AuthLimiter } from './authLimiter.js';
import type { SecurityOptions } from './security.js';
import { Annotations } from './ingest/annotations.js';
import { Breakpoints } from './debug/breakpoints.js';
import { DecodingStage } from './ingest/decoding/stage.js';
import { GapLog } from './ingest/gapLog.js';
import { compileMasks } from './ingest/mask.js';
import { createPipeline, type Pipeline } from './ingest/pipeline.js';
import { logger, rootLogger } from './log.js';
import { attachLive } from './realtime/live.js';
import { SourceRegistry, type RegisteredSource } from './sourceRegistry.js';
import type { EventSource } from './sources/contract.js';
import { pluginOf } from './sources/plugins.js';
import { ThreadedSource, type ThreadNormalizeConfig } from './sourceThread.js';
import { EventStore } from './store/eventStore.js';

const VERSION = '0.1.0';

/** Where the built web app sits relative to this file (server/dist or server/src). */
const defaultWebDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export type RunningServer = {
  readonly url: string;
  /** The URL to open: carries the access token. */
  readonly openUrl: string;
  readonly port: number;
  readonly pipeline: Pipeline;
  readonly sources: SourceRegistry;
  gaps(limit?: number): Gap[];
  /**
   * Stops sources, waits for every accepted event to be written, closes HTTP and the store.
   * Idempotent: a second call returns the same promise. Resolves with the number of events stored.
   */
  close(): Promise<{ stored: number }>;
};

/**
 * The configured sources, each created by its plugin, with its broker's consumer reader; a plugin
 * that allows it runs on a thread of its own (its reader too) unless `--no-source-threads`.
 */
function sourcesFor(config: Config): RegisteredSource[] {
  const normalize: ThreadNormalizeConfig = {
    maxPayloadBytes: config.maxPayloadBytes,
    rules: config.rules,
    producerHeaders: config.producerHeaders,
    masks: config.masks,
    decoding: config.decoding,
  };
  return config.sources.map((c) => {
    const plugin = pluginOf(c);
    const source = plugin.create(c, logger(plugin.sourceId(c)));
    const consumers = plugin.consumerReader?.(source, c);
    if (plugin.threaded && config.sourceThreads) {
      const threaded = new ThreadedSource(source, c, normalize);
      return { source: threaded, ...(consumers ? { consumers: threaded.consumerReader(consumers.everyMs) } : {}) };
    }
    return { source, ...(consumers ? { consumers } : {}) };
  });
}

/** What the server is watching, for the start banner: "the demo shop and Kafka prod (…)". */
export const describeSources = (config: Config): string =>
  config.sources.map((c) => pluginOf(c).describe(c)).join(' and ');

/** The config with each source that can resume set to go on where its stored events end. */
function resumeSources(config: Config, store: EventStore): Config {
  const stored = (origin: EventOrigin) => store.nextOffsets(origin);
  const resumed = config.sources.map((c) => pluginOf(c).resume?.(c as never, stored) ?? c);
  return { ...config, sources: resumed as Config['sources'] };
}

/** Opens the store and builds the pipeline on it. */
function openPipeline(config: Config): { pipeline: Pipeline; store?: EventStore } {
  const store = config.dataDir
    ? EventStore.open({
        dir: config.dataDir,
        retentionMs: config.retentionMs,
        maxBytes: config.maxDbBytes,
        // Compression and writes on a second core; the server keeps running when they fail.
        writer: 'thread',
        onWriteFailure: (failure) =>
          failure
            ? rootLogger.error({ failure }, `cannot write events to ${config.dataDir}: ${failure.message}; retrying`)
            : rootLogger.info(`writing events to ${config.dataDir} again`),
      })
    : undefined;
  const decoding = new DecodingStage(config.decoding);
  const pipeline = createPipeline({
    bufferSize: config.bufferSize,
    memoryBytes: config.memoryBytes,
    maxPayloadBytes: config.maxPayloadBytes,
    rules: config.rules,
    correlation: { hotKeyEvents: config.hotKeyEvents },
    producerHeaders: config.producerHeaders,
    masks: compileMasks(config.masks),
    ...(decoding.enabled ? { decoding } : {}),
    ...(store ? { store } : {}),
    onClockError: (task, err) => rootLogger.error({ err, task }, `${task} failed`),
  });
  return { pipeline, ...(store ? { store } : {}) };
}

/** Starts HTTP, live stream and sources. Broker trouble never stops the server; it shows in status. */
export async function startServer(
  configured: Config,
  sources?: RegisteredSource[] | EventSource[],
): Promise<RunningServer> {
  const { pipeline, store } = openPipeline(configured);
  // Sources with offsets go on where the stored events end (a restart reads what it had not stored).
  const config = store ? resumeSources(configured, store) : configured;
  const { clock } = pipeline;
  const gapLog = new GapLog(store);
  const annotations = new Annotations(store);
  const breakpoints = new Breakpoints(() => pipeline.observers.correlator);
  const stopBreakpoints = watchBreakpoints(breakpoints, pipeline);
  recordDowntime(store, config, Date.now());
  const restored = pipeline.ingest.restore();
  if (restored > 0) rootLogger.info({ restored }, `restored ${restored} events from ${config.dataDir}`);
  clock.runAll();
  clock.start();
  const registered = (sources ?? sourcesFor(config)).map((s) => ('source' in s ? s : { source: s }));
  const registry = new SourceRegistry(registered, pipeline.ingest, logger('sources'), (gap) => gapLog.add(gap));
  const security: SecurityOptions = {
    token: config.token,
    host: config.host,
    port: config.port,
    allowedOrigins: config.allowedOrigins,
    wrongTokens: new AuthLimiter(),
  };
  const app = await buildApp({
    queries: pipeline.queries,
    sources: registry,
    security,
    version: VERSION,
    webDir: config.webDir ?? defaultWebDir,
    gaps: (limit) => gapLog.list(limit),
    store: () => storeStatus(store),
    annotations,
    breakpoints,
    ...(config.traceUrl ? { traceUrl: config.traceUrl } : {}),
  });
  const live = attachLive(app.server, {
    ingest: pipeline.ingest,
    queries: pipeline.queries,
    sources: registry,
    security,
    version: VERSION,
    log: logger('live'),
    breakpoints,
  });

  await app.listen({ host: config.host, port: config.port });
  security.port = (app.server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${security.port}`;
  await registry.startAll();
  rootLogger.debug({ sources: registry.list().map((s) => s.id) }, 'sources started');

  let closing: Promise<{ stored: number }> | undefined;
  return {
    url,
    openUrl: `${url}/?token=${encodeURIComponent(config.token)}`,
    port: security.port,
    pipeline,
    sources: registry,
    gaps: (limit = 100) => gapLog.list(limit),
    close() {
      closing ??= (async () => {
        await registry.stopAll();
        // Batches still waiting for a schema lookup are accepted before the store closes.
        await pipeline.ingest.drained();
        clock.stop();
        stopBreakpoints();
        live.close();
        await app.close();
        store?.flush();
        const stored = store?.count() ?? 0;
        await store?.close();
        return { stored };
      })();
      return closing;
    },
  };
}

/** Whether history is being written, and why not when it is not. */
function storeStatus(store: EventStore | undefined): StoreStatus {
  if (!store) return { state: 'off', unwritten: 0 };
  const failure = store.writeFailure;
  return failure
    ? { state: 'failing', reason: failure.message, dir: store.options.dir, unwritten: store.backlog }
    : { state: 'writing', unwritten: store.backlog };
}

/** Breakpoints see every accepted event, and judge the flows that changed once a second (domain time). */
function watchBreakpoints(breakpoints: Breakpoints, pipeline: Pipeline): () => void {
  pipeline.clock.every('breakpoint flow conditions', 1000, (now) => breakpoints.checkFlows(now));
  return pipeline.ingest.onEvent((event, flowId, json) => breakpoints.observe(event, flowId, json));
}

/**
 * Events produced while Flowscope was stopped are not read by a source that starts at the latest
 * offset: each plugin says whether that window is a gap for its sources, so it is shown rather
 * than silently missing.
 */
function recordDowntime(store: EventStore | undefined, config: Config, now: number) {
  if (!store) return;
  recordUnwritten(store, now);
  const lastSeen = store.lastReceivedAt();
  if (lastSeen === undefined) return;
  for (const c of config.sources) {
    const plugin = pluginOf(c);
    const gap = plugin.downtimeGap?.(c, lastSeen, now);
    if (gap) store.addGap({ ...gap, at: now, source: plugin.sourceId(c) });
  }
}

/**
 * The last run was killed (or crashed, or could not write) before it had written every event it
 * accepted: say so, with the seqs that may be missing. The sources' own downtime gaps say which of
 * those their broker can give again.
 */
function recordUnwritten(store: EventStore, now: number) {
  const unwritten = store.takeUnwrittenSeqs();
  if (!unwritten) return;
  const lastSeen = store.lastReceivedAt();
  const { after, upTo } = unwritten;
  store.addGap({
    at: now,
    source: 'flowscope',
    reason: 'unwritten',
    ...(lastSeen !== undefined ? { from: lastSeen } : {}),
    until: now,
    detail: `Flowscope did not stop cleanly (killed, or the machine went down): events it had accepted after seq ${after.toLocaleString('en')} may not have been written. Kafka topics are read again from the last offset stored; other sources record the time Flowscope was down as gaps of their own. New events start at seq ${(upTo + 1).toLocaleString('en')}, so no seq is used twice. Stop Flowscope with Ctrl-C (SIGINT) or SIGTERM to have every accepted event written.`,
  });
  rootLogger.warn({ after, upTo }, `the last run did not stop cleanly: events after seq ${after} may be missing`);
}
