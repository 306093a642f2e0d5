import type { SourceGap } from '../contract.js';
import type { Watermarks } from './startPosition.js';

/** Where a read jumped past the offset expected next (retention, compaction, transaction markers). */
export type Jump = { readonly expected: string; readonly got: string };

/**
 * Gaps for offsets of `topic` that retention deleted before Flowscope read them, found from the
 * low watermarks. Positions below the oldest record move up to it (reading goes on from what is
 * left); jumps already seen are settled and forgotten. `positions` and `jumps` are keyed
 * `topic\0partition` and updated in place.
 */
export function trimmedGaps(
  topic: string,
  marks: Watermarks,
  positions: Map<string, string>,
  jumps: Map<string, Jump>,
): SourceGap[] {
  const gaps: SourceGap[] = [];
  for (const [partition, { low }] of marks) {
    const tp = `${topic}\0${partition}`;
    const oldest = BigInt(low);
    const jump = jumps.get(tp);
    jumps.delete(tp);
    const next = positions.get(tp);
    if (next !== undefined && BigInt(next) < oldest) {
      // About to seek below the oldest record: those offsets are gone; read from what is left.
      positions.set(tp, low);
      gaps.push(trimmed(topic, partition, BigInt(next), oldest - 1n));
    } else if (jump && BigInt(jump.expected) < oldest) {
      // A read already skipped past offsets retention removed (kafkajs resets out-of-range
      // positions by itself); what it skipped and is now below the oldest record was lost.
      const got = BigInt(jump.got);
      gaps.push(trimmed(topic, partition, BigInt(jump.expected), (oldest < got ? oldest : got) - 1n));
    }
  }
  return gaps;
}

function trimmed(topic: string, partition: number, from: bigint, until: bigint): SourceGap {
  const count = until - from + 1n;
  return {
    channel: topic,
    reason: 'trimmed',
    partition,
    fromOffset: from.toString(),
    untilOffset: until.toString(),
    detail: `${topic} partition ${partition}: offsets ${from}–${until} (${count} record${count === 1n ? '' : 's'}) were deleted by the broker (retention) before Flowscope read them.`,
  };
}

/** Splits configured topic patterns into the existing topics they match and the patterns that match none. */
export function matchTopics(
  patterns: readonly string[],
  existing: readonly string[],
): { matched: string[]; missing: string[] } {
  const matched = new Set<string>();
  const missing: string[] = [];
  for (const p of patterns) {
    const regex = /^\/(.*)\/$/.exec(p);
    const hits =
      regex?.[1] !== undefined
        ? existing.filter((t) => new RegExp(regex[1] as string).test(t) && !t.startsWith('__'))
        : existing.filter((t) => t === p);
    if (hits.length === 0) missing.push(p);
    for (const h of hits) matched.add(h);
  }
  return { matched: [...matched].sort(), missing };
}

export const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));
