import type { RawRecord, SourceGap } from '../contract.js';

/**
 * Pub/Sub messages (opt-in, `PSUBSCRIBE` on a connection of its own: every subscriber gets its
 * copy, so tapping takes nothing from applications). Messages arriving in one tick make one batch.
 * Pub/Sub keeps nothing: what is published while the connection is down is lost, and says so.
 */
export class PubSubBatcher {
  private pending: RawRecord[] = [];
  private count = 0;
  private downSince?: number;

  constructor(
    private readonly idPrefix: string,
    private readonly flush: (batch: readonly RawRecord[]) => void,
  ) {}

  /** The listener for node-redis `pSubscribe` in buffer mode. */
  readonly onMessage = (message: Buffer, channel: Buffer) => {
    if (this.pending.length === 0) setImmediate(() => this.drain());
    this.count += 1;
    this.pending.push({
      channel: channel.toString('utf8'),
      // Pub/Sub messages have no id of their own: unique per tap, never the same on a re-read.
      messageId: `${this.idPrefix}-${this.count}`,
      timestamp: Date.now(),
      headers: {},
      value: message.length > 0 ? message : null,
    });
  };

  /** The subscription was lost (the connection dropped). */
  lost(at: number) {
    this.downSince ??= at;
  }

  /** Subscribed again: the window without a subscription, as a gap. */
  resumed(at: number, patterns: readonly string[]): SourceGap | undefined {
    const from = this.downSince;
    this.downSince = undefined;
    if (from === undefined) return undefined;
    return {
      reason: 'not-running',
      from,
      until: at,
      detail: `Pub/Sub messages on ${patterns.join(', ')} published from ${new Date(from).toISOString()} to ${new Date(at).toISOString()} were not received: the connection was down, and Redis Pub/Sub keeps nothing.`,
    };
  }

  drain() {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.flush(batch);
  }
}
