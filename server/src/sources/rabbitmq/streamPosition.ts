import { startPositions, startTime, type TimePosition } from '../startPosition.js';

/** From an explicit stream offset, inclusive (what `x-stream-offset` takes). */
type OffsetPosition = { readonly kind: 'offset'; readonly offset: string };

/**
 * Where reading a RabbitMQ stream starts when Flowscope has no position for it yet: the forms
 * every source knows (latest, earliest, a duration, a time), or a stream offset.
 */
export type StreamStart = TimePosition | OffsetPosition;

/** latest, earliest, a duration (15m), an ISO time, or a stream offset (1200). */
export const rabbitStart = startPositions<OffsetPosition>({
  parse: (t) => (/^\d+$/.test(t) ? { kind: 'offset', offset: BigInt(t).toString() } : undefined),
  describe: (p) => `offset ${p.offset}`,
  example: 'a stream offset such as 1200 (reading starts at it)',
  unit: 'stream',
});

/** An AMQP field value with its type, as amqplib encodes it (a plain number would become a byte or an int). */
type TypedValue = { readonly '!': 'long' | 'timestamp'; readonly value: number };

/**
 * The `x-stream-offset` consume argument: `next` (only new entries), `first`, an offset, or a
 * timestamp (AMQP timestamps are whole seconds, so a time reads from the start of its second).
 */
export function offsetArgument(p: StreamStart, startedAt: number): string | TypedValue {
  const at = startTime(p, startedAt);
  if (at !== undefined) return { '!': 'timestamp', value: Math.floor(at / 1000) };
  switch (p.kind) {
    case 'offset':
      return { '!': 'long', value: Number(p.offset) };
    case 'earliest':
      return 'first';
    default:
      return 'next';
  }
}
