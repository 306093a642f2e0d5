import type { ChannelLink, Consumer } from '@flowscope/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ingest } from './ingest/ingest.js';
import { rootLogger } from './log.js';
import { SourceRegistry } from './sourceRegistry.js';
import type { EventSource, SourceSink } from './sources/contract.js';
import type { ConsumerReader } from './sources/plugin.js';

const source = (id: string, broker: EventSource['broker']): EventSource => ({
  id,
  broker,
  cluster: 'prod',
  target: id,
  start: async () => undefined,
  stop: async () => undefined,
});

const consumer = (src: string, id: string): Consumer => ({
  source: src,
  broker: src.startsWith('kafka') ? 'kafka' : 'rabbitmq',
  cluster: 'prod',
  kind: 'queue',
  id,
  service: id,
  state: 'running',
  members: [],
  channels: [],
  lag: null,
  history: [],
  updatedAt: 0,
});

const binding: ChannelLink = {
  source: 'rabbitmq:prod',
  broker: 'rabbitmq',
  cluster: 'prod',
  from: 'orders',
  to: 'billing',
  kind: 'binding',
  label: 'order.*',
};

afterEach(() => vi.useRealTimers());

describe('SourceRegistry', () => {
  it("keeps each broker's consumers and, where the reader has them, its routes between channels", async () => {
    vi.useFakeTimers();
    const kafka: ConsumerReader = { everyMs: 10_000, read: async () => [consumer('kafka:prod', 'ledger')] };
    const rabbit: ConsumerReader = {
      everyMs: 10_000,
      read: async () => ({ consumers: [consumer('rabbitmq:prod', 'billing')], links: [binding] }),
    };
    const registry = new SourceRegistry(
      [
        { source: source('kafka:prod', 'kafka'), consumers: kafka },
        { source: source('rabbitmq:prod', 'rabbitmq'), consumers: rabbit },
      ],
      {} as Ingest,
      rootLogger,
    );
    await registry.startAll();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(registry.consumers().map((c) => c.id)).toEqual(['ledger', 'billing']);
    expect(registry.links()).toEqual([binding]);
    await registry.stopAll();
  });

  it("shows a source's own lag, aged to the time asked, and tells listeners when it cannot keep up", async () => {
    let now = 1_700_000_000_000;
    let sink: SourceSink | undefined;
    const kafka: EventSource = { ...source('kafka:prod', 'kafka'), start: async (s) => void (sink = s) };
    const registry = new SourceRegistry(
      [{ source: kafka }, { source: source('mqtt:prod', 'mqtt') }],
      {} as Ingest,
      rootLogger,
      undefined,
      () => now,
    );
    const heard: (string | undefined)[] = [];
    registry.onChange((all) => heard.push(all[0]?.lag?.notice));
    await registry.startAll();
    const behind = (records: number) => [{ channel: 'orders', partition: 0, records, lastTimestamp: now - 20_000 }];
    sink?.lag(behind(100));
    now += 3000;
    const [k, m] = registry.list();
    expect(k?.lag).toMatchObject({ records: 100, seconds: 23, channels: [{ channel: 'orders', records: 100 }] });
    expect(m?.lag).toBeUndefined();
    sink?.lag(behind(200));
    expect(heard).toEqual([]);
    sink?.lag(behind(300));
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatch(/cannot keep up/);
    sink?.lag(behind(0));
    expect(heard).toHaveLength(2);
    expect(heard[1]).toBeUndefined();
    await registry.stopAll();
  });
});
