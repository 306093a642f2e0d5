import type { FilterError } from '@flowscope/shared';
import { streamMarkers } from './stream.markers';

type StreamFilterMessageProps = Readonly<{
  /** Id the filter box points at with aria-describedby. */
  id: string;
  error: FilterError | null;
  /** Whether the kept result of an earlier expression is on screen while this one is broken. */
  keptPrevious: boolean;
  /** Text mode only: the text reads like an expression. */
  suggestExpression: boolean;
  onSwitchToExpression: () => void;
}>;

/**
 * The line under the toolbar: why an expression does not compile, with the excerpt and its caret
 * (monospace, as text), or an offer to read the text as an expression.
 */
export function StreamFilterMessage({ id, error, keptPrevious, ...p }: StreamFilterMessageProps) {
  if (error) {
    return (
      <div id={id} className="fs-filter-msg fs-filter-msg--error" data-testid={streamMarkers.filterError}>
        <p className="fs-filter-msg__text">
          {error.message}
          <span className="fs-filter-msg__aside">
            {keptPrevious ? ' — the list keeps the last valid filter' : ' — the list is not filtered by it'}
          </span>
        </p>
        {/* The message names line and column; the caret drawing is for the eyes. */}
        <pre className="fs-filter-msg__excerpt" aria-hidden="true" data-column={error.column}>
          {error.excerpt}
        </pre>
      </div>
    );
  }
  if (!p.suggestExpression) return null;
  return (
    <div id={id} className="fs-filter-msg" data-testid={streamMarkers.filterHint}>
      <p className="fs-filter-msg__text">
        Looks like an expression —{' '}
        <button
          type="button"
          className="fs-link-button"
          aria-label="Switch to expression mode"
          onClick={p.onSwitchToExpression}
        >
          switch?
        </button>
      </p>
    </div>
  );
}
