import { startPositions, startTime, type TimePosition } from '../startPosition.js';
import { formatId, idBefore, parseId } from './entries.js';

/** After an explicit entry id (XREAD's meaning). */
type AfterPosition = { readonly kind: 'after'; readonly id: string };

/**
 * Where reading a stream starts when Flowscope has no position for it yet: the forms every source
 * knows (latest, earliest, a duration, a time), or after an entry id.
 */
export type StartPosition = TimePosition | AfterPosition;

/** latest, earliest, a duration (15m), an ISO time, or an entry id (1700000000000-0). */
export const redisStart = startPositions<AfterPosition>({
  parse: (t) => (/^\d+-\d+$/.test(t) ? { kind: 'after', id: formatId(parseId(t)) } : undefined),
  describe: (p) => `after ${p.id}`,
  example: 'an entry id such as 1700000000000-0 (reading starts after it)',
  unit: 'stream',
});

/**
 * The id XREAD starts after. `latest` is the stream's last id (read with XINFO, rather than `$`,
 * so that a stream's position is exact even when one XREAD call names many streams).
 */
export function startId(p: StartPosition, lastId: string, startedAt: number): string {
  const at = startTime(p, startedAt);
  if (at !== undefined) return idBefore(`${at}-0`);
  switch (p.kind) {
    case 'after':
      return p.id;
    case 'earliest':
      return '0-0';
    default:
      return lastId;
  }
}
