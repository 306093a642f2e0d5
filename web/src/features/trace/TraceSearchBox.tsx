import { useCallback, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useDismiss } from '../../components/useDismiss';
import { formatRelative } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { StatusBadge } from './badges';
import { useRecentFlows } from './queries';
import { displayKeys, suggestFlows, type Suggestion } from './suggestions';
import { traceMarkers } from './trace.markers';
import { useSlashFocus } from './useSlashFocus';

type TraceSearchBoxProps = Readonly<{
  /** The search in the URL; remount (key) to take over a new one. */
  initialQuery: string;
  onSubmit: (query: string) => void;
  onOpenFlow: (flowId: string) => void;
  compact?: boolean;
  autoFocus?: boolean;
}>;

/** Shows `value` with the typed text set apart; everything stays text. */
function Highlighted({ value, typed }: { value: string; typed: string }) {
  const at = typed ? value.toLowerCase().indexOf(typed.toLowerCase()) : -1;
  if (at < 0) return <>{value}</>;
  return (
    <>
      {value.slice(0, at)}
      <span className="fs-sugg__hit">{value.slice(at, at + typed.length)}</span>
      {value.slice(at + typed.length)}
    </>
  );
}

function SuggestionRow({ s, typed, now }: { s: Suggestion; typed: string; now: number }) {
  const key = s.match ?? displayKeys(s.flow.keys)[0];
  return (
    <>
      <span className="fs-sugg__kind">{s.flow.kind}</span>
      {key && (
        <span className="fs-sugg__key">
          <span className="fs-muted">{key.name}</span> <Highlighted value={key.value} typed={s.match ? typed : ''} />
        </span>
      )}
      <StatusBadge status={s.flow.status} />
      <span className="fs-sugg__age">{formatRelative(s.flow.end, now)}</span>
    </>
  );
}

/**
 * The search box: any key value; suggestions from recent flows as you type (↑/↓ and Enter pick
 * one, Enter alone searches), `/` focuses it from anywhere on the page.
 */
export function TraceSearchBox(p: TraceSearchBoxProps) {
  const [draft, setDraft] = useState(p.initialQuery);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const now = useNow(5_000);
  const recent = useRecentFlows(open);
  const suggestions = useMemo(() => suggestFlows(recent.data ?? [], draft), [recent.data, draft]);
  const shown = open && suggestions.length > 0;

  const close = useCallback(() => {
    setOpen(false);
    setActive(-1);
  }, []);
  useDismiss(rootRef, open, close);
  useSlashFocus(inputRef);

  const pick = (s: Suggestion) => {
    close();
    p.onOpenFlow(s.flow.id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const last = suggestions.length - 1;
      setActive((a) => (e.key === 'ArrowDown' ? Math.min(a + 1, last) : Math.max(a - 1, -1)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = shown ? suggestions[active] : undefined;
      if (chosen) pick(chosen);
      else if (draft.trim()) {
        close();
        p.onSubmit(draft.trim());
      }
    } else if (e.key === 'Escape' && !open) {
      inputRef.current?.blur();
    }
  };

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
          onChange={(e) => {
            setDraft(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          // Not on focus: the search page focuses the box on load and should show its intro.
          onClick={() => setOpen(true)}
          onKeyDown={onKeyDown}
        />
        <kbd className="fs-tsearch__kbd" aria-hidden="true">
          /
        </kbd>
        <button
          type="button"
          className="fs-button fs-button--accent fs-tsearch__go"
          disabled={draft.trim() === ''}
          onClick={() => {
            close();
            p.onSubmit(draft.trim());
          }}
        >
          Trace
        </button>
      </div>
      {shown && (
        <div className="fs-tsearch__popup">
          <div className="fs-tsearch__popup-title">{draft.trim() ? 'Recent flows that match' : 'Recent flows'}</div>
          <ul id={listId} role="listbox" aria-label="Suggested flows" data-testid={traceMarkers.suggestions}>
            {suggestions.map((s, i) => (
              <li
                key={s.flow.id}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className="fs-sugg"
                data-testid={traceMarkers.suggestionItem}
                data-flow-id={s.flow.id}
                // Keep focus in the input; the click below picks.
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(s)}
              >
                <SuggestionRow s={s} typed={draft.trim()} now={now} />
              </li>
            ))}
          </ul>
          {draft.trim() && (
            <div className="fs-tsearch__popup-hint">
              <kbd>Enter</kbd> searches every retained flow for “{draft.trim()}”
            </div>
          )}
        </div>
      )}
    </div>
  );
}
