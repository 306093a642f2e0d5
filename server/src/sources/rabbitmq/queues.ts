import { LAG_HISTORY_LIMIT, type Consumer } from '@flowscope/shared';
import type { ConsumerReading } from '../plugin.js';
import { channelLinks } from './links.js';
import type { Management, Queue, QueueConsumer } from './management.js';

/**
 * Application queues bound to tapped exchanges, as consumers: messages ready as lag, unacknowledged, the queue's consumers as
 * members and the deliver rate, from the management API; and, from the same reading, the routes
 * between channels (bindings, dead letters: `links.ts`). Flowscope's own tap queues (exclusive to a
 * connection named `flowscope-tap-…`, which the API knows only after its next statistics sample,
 * and this source's own queues, known at once) are left out.
 */
export class QueueReader {
  private readonly history = new Map<string, { at: number; lag: number }[]>();

  constructor(
    private readonly source: string,
    private readonly cluster: string,
    private readonly connectionPrefix: string,
    private readonly isOwn: (queue: string) => boolean,
  ) {}

  async read(
    api: Pick<Management, 'exchanges' | 'queues' | 'bindings' | 'consumers' | 'connectionsNamed'>,
    tapped: ReadonlySet<string>,
    now: number,
  ): Promise<ConsumerReading> {
    const [exchanges, queues, bindings, consumers, ours] = await Promise.all([
      api.exchanges(),
      api.queues(),
      api.bindings(),
      api.consumers(),
      api.connectionsNamed(this.connectionPrefix),
    ]);
    const isApplicationQueue = (q: Queue) =>
      !(this.isOwn(q.name) || (q.exclusive && ours.has(q.owner_pid_details?.name ?? '')));
    const bound = new Set(
      bindings.filter((b) => b.destination_type === 'queue' && tapped.has(b.source)).map((b) => b.destination),
    );
    return {
      consumers: queues
        .filter((q) => bound.has(q.name) && isApplicationQueue(q))
        .map((q) =>
          this.consumerOf(
            q,
            // Flowscope's own stream readers consume application streams: never shown as members.
            consumers.filter((c) => !ours.has(c.channel_details?.connection_name ?? '')),
            now,
          ),
        ),
      links: channelLinks(
        { source: this.source, cluster: this.cluster },
        { exchanges, bindings, queues },
        tapped,
        isApplicationQueue,
      ),
    };
  }

  private consumerOf(q: Queue, consumers: readonly QueueConsumer[], now: number): Consumer {
    // A stream keeps what it holds after delivery: its count of messages is retention, not lag,
    // and each stream consumer's offset is not in the management API.
    const lag = q.arguments?.['x-queue-type'] === 'stream' ? null : (q.messages_ready ?? null);
    const history = this.history.get(q.name) ?? [];
    if (lag !== null) history.push({ at: now, lag });
    if (history.length > LAG_HISTORY_LIMIT) history.splice(0, history.length - LAG_HISTORY_LIMIT);
    this.history.set(q.name, history);
    return {
      source: this.source,
      broker: 'rabbitmq',
      cluster: this.cluster,
      kind: 'queue',
      id: q.name,
      service: q.name,
      state: q.state ?? 'running',
      members: consumers
        .filter((c) => c.queue.name === q.name)
        .map((c) => ({
          clientId: c.consumer_tag,
          host: c.channel_details?.peer_host ?? '',
          assignments: [{ channel: q.name, partitions: [] }],
        })),
      channels: [
        {
          channel: q.name,
          lag,
          unacked: q.messages_unacknowledged ?? 0,
          rate: q.message_stats?.deliver_get_details?.rate ?? 0,
        },
      ],
      lag,
      history: [...history],
      updatedAt: now,
    };
  }
}
