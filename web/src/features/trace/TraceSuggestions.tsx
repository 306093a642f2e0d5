import { formatRelative } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { StatusBadge } from './badges';
import { displayKeys, type Suggestion } from './suggestions';
import { traceMarkers } from './trace.markers';

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

type PopupProps = Readonly<{
  suggestions: readonly Suggestion[];
  /** What is typed, trimmed. */
  typed: string;
  active: number;
  listId: string;
  onHover: (index: number) => void;
  onPick: (s: Suggestion) => void;
}>;

/** The suggestions under the search box: recent flows, those matching what is typed first. */
export function SuggestionPopup({ suggestions, typed, active, listId, onHover, onPick }: PopupProps) {
  const now = useNow(5_000);
  return (
    <div className="fs-tsearch__popup">
      <div className="fs-tsearch__popup-title">{typed ? 'Recent flows that match' : 'Recent flows'}</div>
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
            onMouseEnter={() => onHover(i)}
            onClick={() => onPick(s)}
          >
            <SuggestionRow s={s} typed={typed} now={now} />
          </li>
        ))}
      </ul>
      {typed && (
        <div className="fs-tsearch__popup-hint">
          <kbd>Enter</kbd> searches every retained flow for “{typed}”
        </div>
      )}
    </div>
  );
}
