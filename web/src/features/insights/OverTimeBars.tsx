import type { KindWindow } from '@flowscope/shared';
import { formatClock, formatDuration } from '../../lib/format';
import { overTimeBars } from './overTimeBars';

const W = 120;
const H = 22;

const hhmm = (ms: number) => formatClock(ms).slice(0, 5);

/** A kind's p95 per minute as small bars (plain SVG), with a summary for screen readers and hover titles per minute. */
export function OverTimeBars({ points }: { points: KindWindow['overTime'] }) {
  const bars = overTimeBars(points, W, H);
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (!first || !last) return <span className="fs-muted">no minutes yet</span>;
  const peak = bars.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
  const label =
    `p95 per minute, ${bars.length} ${bars.length === 1 ? 'minute' : 'minutes'} from ${hhmm(first.atMs)}: ` +
    `now ${formatDuration(last.p95Ms)}, highest ${formatDuration(peak.p95Ms)} at ${hhmm(peak.atMs)}`;
  return (
    <svg className="fs-overtime" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line className="fs-overtime__base" x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} />
      {bars.map((b) => (
        <rect
          key={b.atMs}
          className={b === peak ? 'fs-overtime__bar is-peak' : 'fs-overtime__bar'}
          x={b.x}
          y={b.y}
          width={b.width}
          height={b.height}
        >
          <title>{`${hhmm(b.atMs)}: p95 ${formatDuration(b.p95Ms)} over ${b.samples} ${b.samples === 1 ? 'flow' : 'flows'}`}</title>
        </rect>
      ))}
    </svg>
  );
}
