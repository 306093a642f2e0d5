import { LAG_HISTORY_LIMIT, type Consumer, type ConsumerChannel } from '@flowscope/shared';
import { pairsOf } from './entries.js';

/** A stream deleted since the last scan has no groups to show; other failures are the reading's. */
const noSuchKey = (err: unknown) => {
  if (err instanceof Error && /no such key/i.test(err.message)) return [];
  throw err;
};

/** Sends one read command (XINFO) and returns its raw reply. */
type Call = (args: string[]) => Promise<unknown>;

/**
 * Reads the consumer groups of the tapped streams (`XINFO GROUPS`, `XINFO CONSUMERS`: reads
 * only) as broker-neutral consumers: one per group name, with each stream's pending entries
 * (unacked) and lag (null when Redis cannot tell, e.g. after a trim), and a rate from how far
 * `entries-read` moved since the last reading.
 */
export class StreamGroupReader {
  private readonly previous = new Map<string, { at: number; read: number }>();
  private readonly history = new Map<string, { at: number; lag: number }[]>();

  constructor(
    private readonly source: string,
    private readonly cluster: string,
    private readonly serviceOf: (group: string) => string,
  ) {}

  async read(call: Call, streams: readonly string[], now: number): Promise<Consumer[]> {
    const byGroup = new Map<string, { channels: ConsumerChannel[]; members: Consumer['members'][number][] }>();
    for (const stream of [...streams].sort()) {
      const groups = (await call(['XINFO', 'GROUPS', stream]).catch(noSuchKey)) as unknown[];
      for (const g of groups ?? []) {
        const info = pairsOf(g);
        const name = String(info.name);
        const entry = byGroup.get(name) ?? { channels: [], members: [] };
        byGroup.set(name, entry);
        const lag = typeof info.lag === 'number' ? info.lag : null;
        entry.channels.push({
          channel: stream,
          lag,
          unacked: Number(info.pending ?? 0),
          rate: this.rateOf(`${name}\0${stream}`, Number(info['entries-read'] ?? 0), now),
        });
        const consumers = (await call(['XINFO', 'CONSUMERS', stream, name]).catch(noSuchKey)) as unknown[];
        for (const c of consumers ?? []) {
          const clientId = String(pairsOf(c).name);
          if (!entry.members.some((m) => m.clientId === clientId))
            entry.members.push({ clientId, host: '', assignments: [{ channel: stream, partitions: [] }] });
        }
      }
    }
    return [...byGroup].map(([id, { channels, members }]) => {
      const known = channels.filter((c) => c.lag !== null);
      const lag = known.length > 0 ? known.reduce((sum, c) => sum + (c.lag ?? 0), 0) : null;
      const history = this.history.get(id) ?? [];
      if (lag !== null) history.push({ at: now, lag });
      if (history.length > LAG_HISTORY_LIMIT) history.splice(0, history.length - LAG_HISTORY_LIMIT);
      this.history.set(id, history);
      return {
        source: this.source,
        broker: 'redis',
        cluster: this.cluster,
        kind: 'consumer-group',
        id,
        service: this.serviceOf(id),
        state: members.length > 0 ? 'active' : 'idle',
        members,
        channels,
        lag,
        history: [...history],
        updatedAt: now,
      } satisfies Consumer;
    });
  }

  private rateOf(key: string, read: number, now: number): number {
    const before = this.previous.get(key);
    this.previous.set(key, { at: now, read });
    if (!before || now <= before.at || read <= before.read) return 0;
    return Math.round(((read - before.read) / ((now - before.at) / 1000)) * 10) / 10;
  }
}
