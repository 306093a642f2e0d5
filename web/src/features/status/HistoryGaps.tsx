import { useCallback, useRef, useState } from 'react';
import type { Gap } from '@flowscope/shared';
import { useDismiss } from '../../components/useDismiss';
import { formatClock } from '../../lib/format';
import { statusMarkers } from './status.markers';

/** Places where history may be missing events (e.g. while Flowscope was stopped): shown, never hidden. */
export function HistoryGaps({ gaps }: { gaps: readonly Gap[] }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  useDismiss(
    rootRef,
    open,
    useCallback(() => setOpen(false), []),
  );
  if (gaps.length === 0) return null;
  return (
    <div className="fs-source" ref={rootRef}>
      <button
        type="button"
        className="fs-pill fs-pill--reconnecting fs-pill--button"
        data-testid={statusMarkers.gaps}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        ⚠ {gaps.length} gap{gaps.length === 1 ? '' : 's'} in history
      </button>
      {open && (
        <div className="fs-popover fs-popover--end" role="region" aria-label="Gaps in history">
          <p className="fs-popover__hint">Events may be missing from history in these windows.</p>
          <ul className="fs-popover__errors">
            {gaps.map((g) => (
              <li key={g.id}>
                <span className="fs-muted">{formatClock(g.at)}</span> <strong>{g.source}</strong>: {g.detail}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
