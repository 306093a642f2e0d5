import type { SourceStatus } from '@flowscope/shared';
import { useCallback, useId, useRef, useState } from 'react';
import { useDismiss } from '../../components/useDismiss';
import { formatCount } from '../../lib/format';
import { statusMarkers } from './status.markers';

const PILL_CLASS: Readonly<Record<SourceStatus['state'], string>> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  disconnected: 'disconnected',
  stopped: 'stopped',
};

/** One tapped source: broker, cluster and state; on trouble the reason shows inline, the hint on expand. */
export function SourcePill({ source }: { source: SourceStatus }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  useDismiss(
    rootRef,
    open,
    useCallback(() => setOpen(false), []),
  );
  const detailsId = useId();
  const summary = `${source.broker} · ${source.cluster}`;
  const error = source.error;
  const tooltip = [
    `${summary} — ${source.state}`,
    source.target,
    `${formatCount(source.eventsReceived)} events received`,
    error ? `${error.message}\n${error.hint}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');

  return (
    <div className="fs-source" ref={rootRef}>
      <button
        type="button"
        className={`fs-pill fs-pill--${PILL_CLASS[source.state]} fs-pill--button`}
        data-testid={statusMarkers.source}
        data-state={source.state}
        data-source-id={source.id}
        aria-expanded={open}
        aria-controls={detailsId}
        title={tooltip}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="fs-pill__dot" aria-hidden="true" />
        <span className="fs-pill__strong">{summary}</span>
        <span className="fs-pill__muted">{source.state}</span>
        {error && <span className="fs-pill__reason">— {error.message}</span>}
      </button>
      {open && (
        <div
          className="fs-popover"
          id={detailsId}
          data-testid={statusMarkers.sourceDetails}
          role="region"
          aria-label={`Source ${summary}`}
        >
          <dl className="fs-popover__list">
            <dt>Target</dt>
            <dd>{source.target}</dd>
            <dt>State</dt>
            <dd>{source.state}</dd>
            <dt>Events</dt>
            <dd>{formatCount(source.eventsReceived)}</dd>
            {source.lastEventAt !== undefined && (
              <>
                <dt>Last event</dt>
                <dd>{new Date(source.lastEventAt).toLocaleTimeString()}</dd>
              </>
            )}
          </dl>
          {error && (
            <>
              <p className="fs-warning">
                {error.reason}: {error.message}
              </p>
              <p className="fs-popover__hint">{error.hint}</p>
            </>
          )}
        </div>
      )}
    </div>
  );
}
