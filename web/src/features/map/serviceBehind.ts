import type { ConsumerLagStat } from '@flowscope/shared';
import { formatDuration } from '../../lib/format';

/**
 * How far behind each service runs, by name: the highest p95 over the channels it reads (the
 * slowest channel is the one people wait for).
 */
export function behindByService(consumers: readonly ConsumerLagStat[]): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  for (const c of consumers) out.set(c.service, Math.max(out.get(c.service) ?? 0, c.p95Ms));
  return out;
}

/** `runs 120 ms behind (p95)`. */
export const behindText = (ms: number) => `runs ${formatDuration(ms)} behind (p95)`;
