import type { Ref } from 'react';
import { formatCount } from '../../lib/format';
import type { NodeFilter } from './streamRows';
import { streamMarkers } from './stream.markers';

type StreamToolbarProps = Readonly<{
  query: string;
  onQueryChange: (query: string) => void;
  node: NodeFilter | null;
  onClearNode: () => void;
  paused: boolean;
  newWhilePaused: number;
  onPause: () => void;
  onResume: () => void;
  inputRef?: Ref<HTMLInputElement>;
  /** Esc in the filter box: move focus back to the events. */
  onLeaveFilter: () => void;
}>;

/** Filter box, the map filter chip and pause/resume. */
export function StreamToolbar({ inputRef, ...p }: StreamToolbarProps) {
  return (
    <div className="fs-stream__toolbar">
      <h2 className="fs-panel-title">Stream</h2>
      <div className="fs-filter">
        <span className="fs-filter__icon" aria-hidden="true">
          ⌕
        </span>
        <input
          ref={inputRef}
          className="fs-filter__input"
          type="search"
          placeholder="Filter channel, type, producer, key, payload…"
          aria-label="Filter events (press / to focus)"
          value={p.query}
          spellCheck={false}
          autoComplete="off"
          data-testid={streamMarkers.filterInput}
          onChange={(e) => p.onQueryChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              // Esc leaves the box with the filter kept (no native clear), ready for j/k and Enter.
              e.preventDefault();
              p.onLeaveFilter();
            }
          }}
        />
        <kbd className="fs-filter__kbd" aria-hidden="true">
          /
        </kbd>
      </div>
      {p.node && (
        <span className="fs-chip" data-testid={streamMarkers.nodeFilterChip}>
          <span className="fs-chip__label">{p.node.kind}</span>
          <span className="fs-chip__value">{p.node.name}</span>
          <button
            type="button"
            className="fs-chip__remove"
            aria-label={`Remove filter ${p.node.kind} ${p.node.name}`}
            onClick={p.onClearNode}
          >
            ×
          </button>
        </span>
      )}
      <div className="fs-stream__actions">
        {p.paused && p.newWhilePaused > 0 && (
          <button
            type="button"
            className="fs-button fs-button--accent"
            data-testid={streamMarkers.newEventsButton}
            onClick={p.onResume}
          >
            {formatCount(p.newWhilePaused)} new
          </button>
        )}
        <button
          type="button"
          className={`fs-button${p.paused ? ' is-paused' : ''}`}
          aria-pressed={p.paused}
          data-testid={streamMarkers.pauseButton}
          onClick={p.paused ? p.onResume : p.onPause}
        >
          {p.paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
      </div>
    </div>
  );
}
