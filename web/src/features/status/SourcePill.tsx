import type { SourceStatus } from '@flowscope/shared';
import { formatCount } from '../../lib/format';
import { lagShort } from './lagText';
import { PillPopover } from './PillPopover';
import { SourceLagDetails } from './SourceLagDetails';
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
  const summary = `${source.broker} · ${source.cluster}`;
  const error = source.error;
  const behind = lagShort(source.lag);
  const tooltip = [
    `${summary} — ${source.state}`,
    source.target,
    `${formatCount(source.eventsReceived)} events received`,
    behind,
    source.lag?.notice,
    error ? `${error.message}\n${error.hint}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');

  return (
    <PillPopover
      label={
        <>
          <span className="fs-pill__dot" aria-hidden="true" />
          <span className="fs-pill__strong">{summary}</span>
          <span className="fs-pill__muted">{source.state}</span>
          {behind && (
            <span className={source.lag?.notice ? 'fs-pill__reason' : 'fs-pill__muted'}>
              {source.lag?.notice ? '⚠ ' : ''}
              {behind}
            </span>
          )}
          {error && <span className="fs-pill__reason">— {error.message}</span>}
        </>
      }
      tone={`fs-pill--${PILL_CLASS[source.state]}`}
      testId={statusMarkers.source}
      attributes={{ 'data-state': source.state, 'data-source-id': source.id, title: tooltip }}
      region={`Source ${summary}`}
      panelTestId={statusMarkers.sourceDetails}
      align="start"
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
      <SourceLagDetails lag={source.lag} />
      {error && (
        <>
          <p className="fs-warning">
            {error.reason}: {error.message}
          </p>
          <p className="fs-popover__hint">{error.hint}</p>
        </>
      )}
    </PillPopover>
  );
}
