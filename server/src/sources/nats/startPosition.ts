import { startPositions, startTime, type TimePosition } from '../startPosition.js';

/** At an explicit stream sequence. */
type SequencePosition = { readonly kind: 'seq'; readonly seq: number };

/**
 * Where reading a stream starts when Flowscope has no position for it yet: the forms every source
 * knows (latest, earliest, a duration, a time), or a stream sequence.
 */
export type StartPosition = TimePosition | SequencePosition;

/** latest, earliest, a duration (15m), an ISO time, or a stream sequence (1042). */
export const natsStart = startPositions<SequencePosition>({
  parse: (t) => (/^\d+$/.test(t) && Number(t) > 0 ? { kind: 'seq', seq: Number(t) } : undefined),
  describe: (p) => `sequence ${p.seq}`,
  example: 'a stream sequence such as 1042 (reading starts at it)',
  unit: 'stream',
});

/** What a stream holds, as far as the start position needs. */
export type StreamBounds = { readonly firstSeq: number; readonly lastSeq: number };

/**
 * The first sequence to read. `seqAt(t)` finds the first message stored at or after time `t`
 * (a few reads by sequence); it is only called for durations and times.
 */
export async function startSeq(
  p: StartPosition,
  bounds: StreamBounds,
  startedAt: number,
  seqAt: (t: number) => Promise<number>,
): Promise<number> {
  const at = startTime(p, startedAt);
  if (at !== undefined) return seqAt(at);
  switch (p.kind) {
    case 'seq':
      return p.seq;
    case 'earliest':
      return Math.max(1, bounds.firstSeq);
    default:
      return bounds.lastSeq + 1;
  }
}
