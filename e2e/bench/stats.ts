/** Small figures helpers for the browser bench. */

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '–');

/** `n=… p50 … p95 … p99 … max …` of some latencies (ms). */
export function summarize(values: readonly number[]): string {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 'n=0';
  const [p50, p95, p99] = [50, 95, 99].map((p) => ms(percentile(s, p)));
  return `n=${s.length}  p50 ${p50}  p95 ${p95}  p99 ${p99}  max ${ms(s[s.length - 1] ?? Number.NaN)}`;
}

/** Long tasks that started inside [from, to]: how many, their total and the longest. */
export function longTaskSummary(tasks: readonly [number, number][], from: number, to: number): string {
  const inside = tasks.filter(([at]) => at >= from && at <= to).map(([, d]) => d);
  const total = inside.reduce((a, b) => a + b, 0);
  const seconds = (to - from) / 1000;
  return `${inside.length} long tasks (${(inside.length / seconds).toFixed(1)}/s), ${Math.round(total)} ms in all (${((total / (to - from)) * 100).toFixed(1)} % of the time), longest ${ms(Math.max(0, ...inside))}`;
}

/** Frame intervals from the page's rAF loop inside [from, to]: fps, frames missed at 60 Hz, gaps over 50 ms. */
export function frameSummary(frames: readonly number[], from: number, to: number): string {
  const inside = frames.filter((t) => t >= from && t <= to);
  let missed = 0;
  let slow = 0;
  let worst = 0;
  for (let i = 1; i < inside.length; i++) {
    const dt = (inside[i] ?? 0) - (inside[i - 1] ?? 0);
    missed += Math.max(0, Math.round(dt / (1000 / 60)) - 1);
    if (dt > 50) slow++;
    worst = Math.max(worst, dt);
  }
  const fps = inside.length > 1 ? ((inside.length - 1) * 1000) / ((inside.at(-1) ?? 0) - (inside[0] ?? 0)) : 0;
  return `${fps.toFixed(0)} fps, ${missed} frames missed at 60 Hz, ${slow} gaps over 50 ms, worst ${ms(worst)}`;
}
