import type { Admin } from 'kafkajs';
import { startPositions, startTime, type TimePosition } from '../startPosition.js';

/** Explicit offsets per partition (other partitions start at the latest offset). */
type OffsetsPosition = { readonly kind: 'offsets'; readonly offsets: Readonly<Record<number, string>> };

/**
 * Where reading a topic starts when Flowscope has no position of its own for it yet: the forms
 * every source knows (latest, earliest, a duration, a time), or offsets per partition.
 */
export type StartPosition = TimePosition | OffsetsPosition;

/** latest, earliest, 15m, an ISO time, or partition:offset pairs (`0:1200,1:980`). */
export const kafkaStart = startPositions<OffsetsPosition>({
  parse(t) {
    if (!/^\d+:\d+(,\d+:\d+)*$/.test(t)) return undefined;
    const offsets: Record<number, string> = {};
    for (const pair of t.split(',')) {
      const [p, o] = pair.split(':') as [string, string];
      offsets[Number(p)] = BigInt(o).toString();
    }
    return { kind: 'offsets', offsets };
  },
  describe: (p) =>
    Object.entries(p.offsets)
      .map(([partition, offset]) => `${partition}:${offset}`)
      .join(','),
  example: 'partition:offset pairs such as 0:1200,1:980',
  unit: 'topic',
});

export type Watermarks = ReadonlyMap<number, { readonly low: string; readonly high: string }>;

export async function watermarks(admin: Admin, topic: string): Promise<Watermarks> {
  const rows = await admin.fetchTopicOffsets(topic);
  return new Map(rows.map((r) => [r.partition, { low: r.low, high: r.high }]));
}

/**
 * The first offset to read in each partition of `topic`. Offsets are clamped into what the broker
 * still holds: below the low watermark means those records are gone (the caller records a gap).
 */
export async function resolveStart(
  admin: Admin,
  topic: string,
  position: StartPosition,
  startedAt: number,
  marks: Watermarks,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const at = startTime(position, startedAt);
  if (at !== undefined) {
    for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, at)) {
      const high = marks.get(partition)?.high ?? offset;
      // No record at or after `at`: start at the end, like `latest`.
      out.set(partition, BigInt(offset) < 0n ? high : offset);
    }
    return out;
  }
  for (const [partition, { low, high }] of marks) {
    if (position.kind === 'earliest') out.set(partition, low);
    else if (position.kind === 'latest') out.set(partition, high);
    else if (position.kind === 'offsets') {
      const wanted = position.offsets[partition];
      out.set(partition, wanted === undefined ? high : BigInt(wanted) > BigInt(high) ? high : wanted);
    }
  }
  return out;
}
