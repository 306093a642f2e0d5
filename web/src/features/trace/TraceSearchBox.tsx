import { traceMarkers } from './trace.markers';
import { SuggestionPopup } from './TraceSuggestions';
import { useTraceSearch } from './useTraceSearch';

type TraceSearchBoxProps = Readonly<{
  /** The search in the URL; remount (key) to take over a new one. */
  initialQuery: string;
  onSubmit: (query: string) => void;
  onOpenFlow: (flowId: string) => void;
  compact?: boolean;
  autoFocus?: boolean;
}>;

/**
 * The search box: any key value; suggestions from recent flows as you type (↑/↓ and Enter pick
 * one, Enter alone searches), `/` focuses it from anywhere on the page.
 */
export function TraceSearchBox(p: TraceSearchBoxProps) {
  const {
    draft,
    type,
    openList,
    suggestions,
    shown,
    active,
    setActive,
    listId,
    inputRef,
    rootRef,
    pick,
    submit,
    onKeyDown,
  } = useTraceSearch(p);
  return (
    <div className={`fs-tsearch${p.compact ? ' fs-tsearch--compact' : ''}`} ref={rootRef}>
      <div className="fs-tsearch__box" role="search">
        <span className="fs-tsearch__icon" aria-hidden="true">
          ⌕
        </span>
        <input
          ref={inputRef}
          className="fs-tsearch__input"
          type="search"
          role="combobox"
          aria-label="Find a flow by order id, trace id, correlation id or event id (press / to focus)"
          aria-expanded={shown}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
          placeholder="Order id, trace id, correlation id, event id…"
          value={draft}
          spellCheck={false}
          autoComplete="off"
          // The search page exists to type into this box.
          autoFocus={p.autoFocus}
          data-testid={traceMarkers.searchInput}
          onChange={(e) => type(e.target.value)}
          // Not on focus: the search page focuses the box on load and should show its intro.
          onClick={openList}
          onKeyDown={onKeyDown}
        />
        <kbd className="fs-tsearch__kbd" aria-hidden="true">
          /
        </kbd>
        <button
          type="button"
          className="fs-button fs-button--accent fs-tsearch__go"
          disabled={draft.trim() === ''}
          onClick={submit}
        >
          Trace
        </button>
      </div>
      {shown && (
        <SuggestionPopup
          suggestions={suggestions}
          typed={draft.trim()}
          active={active}
          listId={listId}
          onHover={setActive}
          onPick={pick}
        />
      )}
    </div>
  );
}
