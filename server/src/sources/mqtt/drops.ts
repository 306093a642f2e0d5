import type { SourceGap } from '../contract.js';

/**
 * Mosquitto's count of the publishes it dropped because a subscriber's queue was full (its
 * `max_queued_messages` and in-flight limits), published every `sys_interval` (10 s by default).
 * MQTT tells a subscriber nothing when the broker drops its messages, so this count is the only
 * sign that Flowscope may have missed some. It is broker-wide: the dropped messages may have been
 * another client's, which the gap says.
 */
export const DROPPED_TOPIC = '$SYS/broker/publish/messages/dropped';

export class DropWatch {
  private last?: { count: number; at: number };

  constructor(
    private readonly where: string,
    private readonly filters: readonly string[],
  ) {}

  /** A new reading of the count; a gap when it grew since the last one of this connection. */
  reading(payload: Buffer, at: number): SourceGap | undefined {
    const count = Number(payload.toString('utf8').trim());
    if (!Number.isSafeInteger(count) || count < 0) return undefined;
    const last = this.last;
    this.last = { count, at };
    // The first reading (or one after a broker restart reset the count) is the baseline.
    if (!last || count <= last.count) return undefined;
    const dropped = count - last.count;
    return {
      reason: 'slow-client',
      from: last.at,
      until: at,
      detail: `The MQTT broker at ${this.where} dropped ${dropped.toLocaleString('en-US')} message${dropped === 1 ? '' : 's'} between ${new Date(last.at).toISOString()} and ${new Date(at).toISOString()} because a subscriber's queue was full (its $SYS count of dropped publishes grew). They may have been Flowscope's copies of ${this.filters.join(', ')} or another client's: MQTT does not say. Raise max_queued_messages on the broker, or tap fewer topics.`,
    };
  }

  /** A new connection starts a new baseline: what happened while it was down is the downtime gap. */
  reset() {
    this.last = undefined;
  }
}
