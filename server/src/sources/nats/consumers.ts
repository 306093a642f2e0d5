import type { ConsumerInfo } from '@nats-io/jetstream';
import { LAG_HISTORY_LIMIT, type Consumer, type ConsumerChannel } from '@flowscope/shared';

/** Names of Flowscope's own consumers (every tap's): never shown as an application's. */
export const TAP_PREFIX = 'flowscope-tap-';

/** The part of a consumer's info read here. */
export type ConsumerReading = Pick<
  ConsumerInfo,
  'name' | 'config' | 'delivered' | 'ack_floor' | 'num_ack_pending' | 'num_redelivered' | 'num_waiting' | 'num_pending'
> & { readonly push_bound?: boolean };

/** A tapped stream and the channel its messages are shown on (`kv:<bucket>` for a KV bucket). */
export type TappedStream = { readonly stream: string; readonly channel: string };

/** When a consumer was last active, in ms (the server sends an ISO time). */
const lastActive = (c: ConsumerReading): number => {
  const v = (c.delivered as { last_active?: unknown }).last_active;
  return typeof v === 'string' ? Date.parse(v) : 0;
};

/**
 * Reads the consumers (durables and ephemerals) of the tapped streams as broker-neutral consumers:
 * one per consumer name (the same durable on two streams is one service), each stream with its
 * pending messages as lag, its ack-pending as unacked and its redeliveries, and a rate from how
 * far it got since the last reading. Flowscope's own consumers (`flowscope-tap-…`) are left out.
 */
export class JetStreamConsumerReader {
  private readonly previous = new Map<string, { at: number; done: number }>();
  private readonly history = new Map<string, { at: number; lag: number }[]>();

  constructor(
    private readonly source: string,
    private readonly cluster: string,
    private readonly serviceOf: (consumer: string) => string,
  ) {}

  /** `list(stream)` returns the stream's consumers as the server reports them. */
  async read(
    list: (stream: string) => Promise<ConsumerReading[]>,
    streams: readonly TappedStream[],
    now: number,
  ): Promise<Consumer[]> {
    const byName = new Map<string, { channels: ConsumerChannel[]; active: boolean }>();
    for (const { stream, channel } of [...streams].sort((a, b) => a.stream.localeCompare(b.stream))) {
      for (const c of await list(stream)) {
        if (c.name.startsWith(TAP_PREFIX)) continue;
        const entry = byName.get(c.name) ?? { channels: [], active: false };
        byName.set(c.name, entry);
        entry.active ||= Boolean(c.push_bound) || c.num_waiting > 0 || now - lastActive(c) < 30_000;
        // Acknowledged for consumers that ack; delivered for those that do not.
        const done = c.config.ack_policy === 'none' ? c.delivered.consumer_seq : c.ack_floor.consumer_seq;
        entry.channels.push({
          channel,
          lag: c.num_pending,
          unacked: c.num_ack_pending,
          redelivered: c.num_redelivered,
          rate: this.rateOf(`${c.name}\0${stream}`, done, now),
        });
      }
    }
    return [...byName].map(([id, { channels, active }]) => {
      const lag = channels.reduce((sum, ch) => sum + (ch.lag ?? 0), 0);
      const history = this.history.get(id) ?? [];
      history.push({ at: now, lag });
      if (history.length > LAG_HISTORY_LIMIT) history.splice(0, history.length - LAG_HISTORY_LIMIT);
      this.history.set(id, history);
      return {
        source: this.source,
        broker: 'nats',
        cluster: this.cluster,
        kind: 'durable',
        id,
        service: this.serviceOf(id),
        state: active ? 'active' : 'idle',
        members: [],
        channels,
        lag,
        history: [...history],
        updatedAt: now,
      } satisfies Consumer;
    });
  }

  private rateOf(key: string, done: number, now: number): number {
    const before = this.previous.get(key);
    this.previous.set(key, { at: now, done });
    if (!before || now <= before.at || done <= before.done) return 0;
    return Math.round(((done - before.done) / ((now - before.at) / 1000)) * 10) / 10;
  }
}
