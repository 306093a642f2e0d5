import type { Gap } from '@flowscope/shared';
import { formatClock } from '../../lib/format';
import { PillPopover } from './PillPopover';
import { statusMarkers } from './status.markers';

/** Places where history may be missing events (e.g. while Flowscope was stopped): shown, never hidden. */
export function HistoryGaps({ gaps }: { gaps: readonly Gap[] }) {
  if (gaps.length === 0) return null;
  return (
    <PillPopover
      label={`⚠ ${gaps.length} gap${gaps.length === 1 ? '' : 's'} in history`}
      tone="fs-pill--reconnecting"
      testId={statusMarkers.gaps}
      region="Gaps in history"
    >
      <p className="fs-popover__hint">Events may be missing from history in these windows.</p>
      <ul className="fs-popover__errors">
        {gaps.map((g) => (
          <li key={g.id}>
            <span className="fs-muted">{formatClock(g.at)}</span> <strong>{g.source}</strong>: {g.detail}
          </li>
        ))}
      </ul>
    </PillPopover>
  );
}
