import type { ReactNode, Ref } from 'react';
import { formatCount } from '../../lib/format';
import { FilterHelp } from './FilterHelp';
import type { FilterMode, NodeFilter } from './streamRows';
import { streamMarkers } from './stream.markers';

const PLACEHOLDER: Readonly<Record<FilterMode, string>> = {
  text: 'Filter channel, type, producer, key, payload…',
  expr: 'channel == "payments" && payload.amount > 100',
};

type StreamToolbarProps = Readonly<{
  query: string;
  onQueryChange: (query: string) => void;
  mode: FilterMode;
  onModeChange: (mode: FilterMode) => void;
  /** The expression in the box does not compile. */
  invalid: boolean;
  /** Id of the message under the toolbar that explains the filter, when one is shown. */
  describedBy: string | undefined;
  /** Applies an expression from the syntax help (and switches to expression mode). */
  onUseExample: (expression: string) => void;
  node: NodeFilter | null;
  onClearNode: () => void;
  paused: boolean;
  newWhilePaused: number;
  onPause: () => void;
  onResume: () => void;
  inputRef?: Ref<HTMLInputElement>;
  /** Esc in the filter box: move focus back to the events. */
  onLeaveFilter: () => void;
  /** More controls, before pause/resume. */
  actions?: ReactNode;
}>;

/** Filter box with its text/expression toggle and syntax help, the map filter chip and pause/resume. */
export function StreamToolbar({ inputRef, ...p }: StreamToolbarProps) {
  const expr = p.mode === 'expr';
  return (
    <div className="fs-stream__toolbar">
      <h2 className="fs-panel-title">Stream</h2>
      <FilterBox {...p} {...(inputRef ? { inputRef } : {})} />
      <button
        type="button"
        className={`fs-mode${expr ? ' is-expr' : ''}`}
        aria-pressed={expr}
        title={expr ? 'Filtering by expression; press for plain text search' : 'Filter by expression instead of text'}
        data-testid={streamMarkers.filterModeToggle}
        data-mode={p.mode}
        onClick={() => p.onModeChange(expr ? 'text' : 'expr')}
      >
        {/* One toggle: its name is "Expression" and aria-pressed says whether it is on. */}
        <span className="fs-mode__side fs-mode__side--text" aria-hidden="true">
          Text
        </span>
        <span className="fs-mode__side fs-mode__side--expr">Expression</span>
      </button>
      <FilterHelp onUseExample={p.onUseExample} />
      {p.node && <NodeChip node={p.node} onClear={p.onClearNode} />}
      {p.actions}
      <PauseControls {...p} />
    </div>
  );
}

function FilterBox({ inputRef, ...p }: StreamToolbarProps) {
  const expr = p.mode === 'expr';
  return (
    <div className={`fs-filter${expr ? ' fs-filter--expr' : ''}`}>
      <span className="fs-filter__icon" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={inputRef}
        className="fs-filter__input"
        type="search"
        placeholder={PLACEHOLDER[p.mode]}
        aria-label={expr ? 'Filter events by expression (press / to focus)' : 'Filter events (press / to focus)'}
        aria-invalid={p.invalid}
        aria-describedby={p.describedBy}
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
  );
}

/** The map node the stream is filtered to, with a button that removes the filter. */
function NodeChip({ node, onClear }: { node: NodeFilter; onClear: () => void }) {
  return (
    <span className="fs-chip" data-testid={streamMarkers.nodeFilterChip}>
      <span className="fs-chip__label">{node.kind}</span>
      <span className="fs-chip__value">{node.name}</span>
      <button
        type="button"
        className="fs-chip__remove"
        aria-label={`Remove filter ${node.kind} ${node.name}`}
        onClick={onClear}
      >
        ×
      </button>
    </span>
  );
}

function PauseControls(p: Pick<StreamToolbarProps, 'paused' | 'newWhilePaused' | 'onPause' | 'onResume'>) {
  return (
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
  );
}
