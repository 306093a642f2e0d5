import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Gap } from '@flowscope/shared';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { SecurityOptions } from './http/security.js';
import { Pipeline } from './ingest/pipeline.js';
import { logger, rootLogger } from './log.js';
import { attachLive } from './realtime/live.js';
import { DemoSource } from './sources/demo/demoSource.js';
import { FileSource } from './sources/file/fileSource.js';
import type { EventSource } from './sources/eventSource.js';
import { KafkaSource } from './sources/kafka/kafkaSource.js';
import { SchemaDecoder, SchemaRegistry } from './decoding/schemas.js';
import { SourceRegistry } from './sources/registry.js';
import { EventStore } from './store/eventStore.js';
import { compileMasks } from './ingest/mask.js';
import { GapLog } from './ingest/gapLog.js';
import { Annotations } from './ingest/annotations.js';

export const VERSION = '0.1.0';

/** Where the built web app sits relative to this file (server/dist or server/src). */
export const defaultWebDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export type RunningServer = {
  readonly url: string;
  /** The URL to open: carries the access token. */
  readonly openUrl: string;
  readonly port: number;
  readonly pipeline: Pipeline;
  readonly sources: SourceRegistry;
  gaps(limit?: number): Gap[];
  close(): Promise<void>;
};

export function sourcesFor(config: Config): EventSource[] {
  const sources: EventSource[] = [];
  if (config.demo) sources.push(new DemoSource({ ordersPerSecond: config.demoRate }));
  if (config.replay) sources.push(new FileSource(config.replay));
  for (const k of config.kafka) {
    const registry = k.schemaRegistry ? new SchemaRegistry(k.schemaRegistry) : undefined;
    const decoder = registry || k.schemas ? new SchemaDecoder(registry, k.schemas) : undefined;
    sources.push(new KafkaSource({ ...k, ...(decoder ? { decoder } : {}) }, logger(`kafka:${k.cluster}`)));
  }
  return sources;
}

/** Starts HTTP, live stream and sources. Broker trouble never stops the server; it shows in status. */
export async function startServer(config: Config, sources: EventSource[] = sourcesFor(config)): Promise<RunningServer> {
  const store = config.dataDir
    ? EventStore.open({ dir: config.dataDir, retentionMs: config.retentionMs, maxBytes: config.maxDbBytes })
    : undefined;
  const pipeline = new Pipeline({
    bufferSize: config.bufferSize,
    maxPayloadBytes: config.maxPayloadBytes,
    rules: config.rules,
    producerHeaders: config.producerHeaders,
    masks: compileMasks(config.masks),
    ...(store ? { store } : {}),
  });
  const gapLog = new GapLog(store);
  const annotations = new Annotations(store);
  recordDowntime(store, config, Date.now());
  const restored = pipeline.restore();
  if (restored > 0) rootLogger.info({ restored }, `restored ${restored} events from ${config.dataDir}`);
  // Writes leave the live path: queued on ingest, written in one transaction every 100 ms.
  const flushTimer = store ? setInterval(() => store.flush(), 100) : undefined;
  const retentionTimer = store ? setInterval(() => store.applyRetention(Date.now()), 30_000) : undefined;
  store?.applyRetention(Date.now());
  const registry = new SourceRegistry(sources, pipeline, logger('sources'), (gap) => gapLog.add(gap));
  const security: SecurityOptions = {
    token: config.token,
    host: config.host,
    port: config.port,
    allowedOrigins: config.allowedOrigins,
  };
  const app = await buildApp({
    pipeline,
    sources: registry,
    security,
    version: VERSION,
    webDir: config.webDir ?? defaultWebDir,
    gaps: (limit) => gapLog.list(limit),
    annotations,
  });
  const live = attachLive(app.server, { pipeline, sources: registry, security, version: VERSION, log: logger('live') });

  await app.listen({ host: config.host, port: config.port });
  security.port = (app.server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${security.port}`;
  await registry.startAll();
  rootLogger.debug({ sources: registry.list().map((s) => s.id) }, 'sources started');

  return {
    url,
    openUrl: `${url}/?token=${encodeURIComponent(config.token)}`,
    port: security.port,
    pipeline,
    sources: registry,
    gaps: (limit = 100) => gapLog.list(limit),
    async close() {
      await registry.stopAll();
      live.close();
      await app.close();
      clearInterval(flushTimer);
      clearInterval(retentionTimer);
      store?.close();
    },
  };
}

/**
 * Events produced while Flowscope was stopped are not read by a source that starts at the latest
 * offset: that window is a gap, and it is recorded so it is shown rather than silently missing.
 */
function recordDowntime(store: EventStore | undefined, config: Config, now: number) {
  const lastSeen = store?.lastReceivedAt();
  if (!store || lastSeen === undefined) return;
  for (const k of config.kafka) {
    if (k.from.kind !== 'latest') continue;
    store.addGap({
      at: now,
      source: `kafka:${k.cluster}`,
      reason: 'not-running',
      from: lastSeen,
      until: now,
      detail: `Flowscope was not running from ${new Date(lastSeen).toISOString()} to ${new Date(now).toISOString()}; messages produced on ${k.cluster} in that window were not read, because reading starts at the latest offset. Start with --from earliest to read them.`,
    });
  }
}
