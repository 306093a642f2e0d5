import type { FilterMode } from './streamRows';
import { streamMarkers } from './stream.markers';

type StreamEmptyKind = 'waiting' | 'no-match' | 'offline';

type StreamEmptyStateProps = Readonly<{
  kind: StreamEmptyKind;
  /** For `offline`: why; for `no-match`: what was searched. */
  detail?: string;
  /** For `no-match`: how the filter text was read. */
  mode?: FilterMode;
  onClearFilters?: () => void;
}>;

/** Says why the stream is empty and what to do about it. */
export function StreamEmptyState({ kind, detail, mode = 'text', onClearFilters }: StreamEmptyStateProps) {
  return (
    <div className="fs-empty fs-stream__empty" data-testid={streamMarkers.emptyState} data-kind={kind} role="status">
      {kind === 'waiting' && (
        <>
          <h2 className="fs-empty__title">No events yet</h2>
          <p className="fs-empty__text">
            Events appear here, newest first, the moment a source delivers them. The demo shop sends a few per second;
            with Kafka, produce a message to one of the topics given with <code>--topics</code>.
          </p>
          <p className="fs-empty__text fs-empty__hint">
            Tip: press <kbd>/</kbd> to filter, <kbd>j</kbd>/<kbd>k</kbd> to move, <kbd>Enter</kbd> to inspect.
          </p>
        </>
      )}
      {kind === 'offline' && (
        <>
          <h2 className="fs-empty__title">Not connected</h2>
          <p className="fs-empty__text">{detail ?? 'The live stream is not connected.'}</p>
        </>
      )}
      {kind === 'no-match' && (
        <>
          <h2 className="fs-empty__title">No events match</h2>
          <p className="fs-empty__text">
            Nothing in the stream matches {detail ? <q>{detail}</q> : 'the current filters'}.{' '}
            {mode === 'expr'
              ? 'History was searched with the same expression; new events that match appear as they arrive.'
              : 'Matching looks at channel, type, producer, key and payload text.'}
          </p>
          {onClearFilters && (
            <button type="button" className="fs-button" onClick={onClearFilters}>
              Clear filters
            </button>
          )}
        </>
      )}
    </div>
  );
}
