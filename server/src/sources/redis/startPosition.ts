import { formatId, idBefore, parseId } from './entries.js';

/**
 * Where reading a stream starts when Flowscope has no position for it yet: `latest` (only new
 * entries), `earliest` (everything the stream holds), `ago` (the last N ms, from the source's
 * start), `time` (from an absolute time), or `after` an explicit entry id (XREAD's meaning).
 */
export type StartPosition =
  | { readonly kind: 'latest' }
  | { readonly kind: 'earliest' }
  | { readonly kind: 'ago'; readonly ms: number }
  | { readonly kind: 'time'; readonly at: number }
  | { readonly kind: 'after'; readonly id: string };

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses latest, earliest, a duration (15m), an ISO time, or an entry id (1700000000000-0). */
export function parseStartPosition(value: string): StartPosition {
  const t = value.trim();
  if (t === 'latest' || t === 'earliest') return { kind: t };
  const duration = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(t);
  if (duration) return { kind: 'ago', ms: Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS] };
  if (/^\d+-\d+$/.test(t)) return { kind: 'after', id: formatId(parseId(t)) };
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const at = Date.parse(t);
    if (Number.isFinite(at)) return { kind: 'time', at };
  }
  throw new Error(
    `"${value}" is not a start position: use latest, earliest, a duration such as 15m, an ISO time such as 2026-11-22T10:00:00Z, or an entry id such as 1700000000000-0 (reading starts after it)`,
  );
}

export function describeStartPosition(p: StartPosition): string {
  switch (p.kind) {
    case 'latest':
    case 'earliest':
      return p.kind;
    case 'ago':
      return `the last ${Math.round(p.ms / 1000)} s`;
    case 'time':
      return new Date(p.at).toISOString();
    case 'after':
      return `after ${p.id}`;
  }
}

/**
 * The id XREAD starts after. `latest` is the stream's last id (read with XINFO, rather than `$`,
 * so that a stream's position is exact even when one XREAD call names many streams).
 */
export function startId(p: StartPosition, lastId: string, startedAt: number): string {
  switch (p.kind) {
    case 'latest':
      return lastId;
    case 'earliest':
      return '0-0';
    case 'ago':
      return idBefore(`${Math.max(0, startedAt - p.ms)}-0`);
    case 'time':
      return idBefore(`${Math.max(0, p.at)}-0`);
    case 'after':
      return p.id;
  }
}
