import type { Admin } from 'kafkajs';

/**
 * Where reading a topic starts when Flowscope has no position of its own for it yet:
 * - `latest` (default): only what is produced from now on;
 * - `earliest`: everything the broker still retains;
 * - `ago`: the last N ms ("15m": the last 15 minutes, counted from when the source started);
 * - `time`: from an absolute time;
 * - `offsets`: explicit offsets per partition (other partitions start at the latest offset).
 */
export type StartPosition =
  | { readonly kind: 'latest' }
  | { readonly kind: 'earliest' }
  | { readonly kind: 'ago'; readonly ms: number }
  | { readonly kind: 'time'; readonly at: number }
  | { readonly kind: 'offsets'; readonly offsets: Readonly<Record<number, string>> };

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses `latest`, `earliest`, a duration (`90s`, `15m`, `2h`, `7d`), an ISO 8601 time
 * (`2026-11-22T10:00:00Z`) or offsets (`0:1200,1:980`). Throws with the accepted forms.
 */
export function parseStartPosition(text: string): StartPosition {
  const t = text.trim();
  if (t === 'latest' || t === 'earliest') return { kind: t };
  const duration = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(t);
  if (duration) return { kind: 'ago', ms: Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS] };
  if (/^\d+:\d+(,\d+:\d+)*$/.test(t)) {
    const offsets: Record<number, string> = {};
    for (const pair of t.split(',')) {
      const [p, o] = pair.split(':') as [string, string];
      offsets[Number(p)] = BigInt(o).toString();
    }
    return { kind: 'offsets', offsets };
  }
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const at = Date.parse(t);
    if (Number.isFinite(at)) return { kind: 'time', at };
  }
  throw new Error(
    `"${text}" is not a start position: use latest, earliest, a duration such as 15m or 2h, an ISO time such as 2026-11-22T10:00:00Z, or partition:offset pairs such as 0:1200,1:980`,
  );
}

/** For people and logs: the position as it would be written in config. */
export function describeStartPosition(p: StartPosition): string {
  switch (p.kind) {
    case 'latest':
    case 'earliest':
      return p.kind;
    case 'ago':
      return `the last ${Math.round(p.ms / 1000)} s`;
    case 'time':
      return new Date(p.at).toISOString();
    case 'offsets':
      return Object.entries(p.offsets)
        .map(([partition, offset]) => `${partition}:${offset}`)
        .join(',');
  }
}

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
  if (position.kind === 'ago' || position.kind === 'time') {
    const at = position.kind === 'ago' ? startedAt - position.ms : position.at;
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
    else {
      const wanted = position.offsets[partition];
      out.set(partition, wanted === undefined ? high : BigInt(wanted) > BigInt(high) ? high : wanted);
    }
  }
  return out;
}
