import type { ChannelLink, Consumer } from '@flowscope/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ingest } from './ingest/ingest.js';
import { rootLogger } from './log.js';
import { SourceRegistry } from './sourceRegistry.js';
import type { EventSource } from './sources/contract.js';
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
});
