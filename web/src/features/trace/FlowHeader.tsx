import { flowTraceId, type Flow, isoTime } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatClock, formatCount, formatDuration, formatRelative } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { entityPath, traceSearchPath } from '../../lib/routes';
import { AnnotationBlock, type Annotations, annotationTarget } from '../annotations';
import { AnomalyList } from './AnomalyList';
import { DeadLetterBadge, StatusBadge } from './badges';
import { isDeadLetteredFlow } from './flowSteps';
import { displayKeys } from './suggestions';
import { traceMarkers } from './trace.markers';

type FlowHeaderProps = Readonly<{
  flow: Flow;
  /** Whether changes to this flow arrive live. */
  live: boolean;
  selectedId: string | null;
  onSelectEvent: (eventId: string) => void;
  onSelectStep: (step: string) => void;
  /** Notes by target: the kind's is shown (and editable) under the title. Without them, no note at all. */
  annotations?: Annotations;
  /** The user's tracing UI, a URL with `{traceId}` (`--trace-url`), if set. */
  traceUrl?: string | undefined;
}>;

/** Ticks on its own, so the rest of the page does not re-render every few seconds. */
function StartedAt({ start }: { start: number }) {
  const now = useNow(5_000);
  return (
    <dd title={isoTime(start)}>
      {formatClock(start)} <span className="fs-muted">({formatRelative(start, now)})</span>
    </dd>
  );
}

/** The flow's W3C trace id, linked to the user's tracing UI when `--trace-url` is set. */
function TraceFact({ flow, template }: { flow: Flow; template: string | undefined }) {
  const traceId = flowTraceId(flow.events);
  if (!traceId) return null;
  return (
    <div>
      <dt>Trace</dt>
      <dd>
        {template ? (
          <a
            href={template.replaceAll('{traceId}', traceId)}
            target="_blank"
            rel="noopener noreferrer"
            title={`Open trace ${traceId} in your tracing UI`}
            data-testid={traceMarkers.traceLink}
          >
            <code>{traceId.slice(0, 12)}…</code> ↗
          </a>
        ) : (
          <code
            title="Start Flowscope with --trace-url http://…/trace/{traceId} to open it in Jaeger, Tempo or Zipkin"
            data-testid={traceMarkers.traceId}
          >
            {traceId}
          </code>
        )}
      </dd>
    </div>
  );
}

/** The flow's keys, each a search for its other flows, and the history of its first entity. */
function FlowKeys({ flow }: { flow: Flow }) {
  return (
    <div className="fs-flowhead__keys" aria-label="Keys">
      {displayKeys(flow.keys).map((k) => (
        <Link
          key={`${k.name}=${k.value}`}
          to={traceSearchPath(k.value)}
          className="fs-chip fs-chip--static fs-chip--link"
          data-testid={traceMarkers.keyChip}
          title={`Find every flow with ${k.name} ${k.value}`}
        >
          <span className="fs-chip__label">{k.name}</span>
          <span className="fs-chip__value">{k.value}</span>
        </Link>
      ))}
      {displayKeys(flow.keys)
        .slice(0, 1)
        .map((k) => (
          <Link
            key="history"
            to={entityPath(k.value, k.name)}
            className="fs-button fs-button--small"
            data-testid={traceMarkers.entityLink}
            title={`Every event about ${k.name} ${k.value}, across flows, with its state step by step`}
          >
            History of {k.value} →
          </Link>
        ))}
    </div>
  );
}

/** The flow at a glance: kind, outcome, keys, when, how long, who took part, and what went wrong. */
export function FlowHeader({
  flow,
  live,
  selectedId,
  onSelectEvent,
  onSelectStep,
  annotations,
  traceUrl,
}: FlowHeaderProps) {
  const kindTarget = annotationTarget.kind(flow.kind);
  return (
    <header className="fs-flowhead" data-testid={traceMarkers.flowHeader}>
      <div className="fs-flowhead__main">
        <div className="fs-flowhead__title">
          <h1>{flow.kind}</h1>
          <StatusBadge status={flow.status} />
          {isDeadLetteredFlow(flow) && <DeadLetterBadge />}
          {live && flow.status === 'open' && (
            <span className="fs-tlive" data-testid={traceMarkers.liveBadge} title="New events of this flow appear here">
              <span className="fs-tlive__dot" aria-hidden="true" /> live
            </span>
          )}
        </div>
        {annotations && (
          <div className="fs-flowhead__note" data-testid={traceMarkers.kindNote}>
            <AnnotationBlock
              key={kindTarget}
              target={kindTarget}
              annotations={annotations}
              subject={`flow kind ${flow.kind}`}
            />
          </div>
        )}
        <FlowKeys flow={flow} />
        <dl className="fs-flowhead__facts">
          <div>
            <dt>Started</dt>
            <StartedAt start={flow.start} />
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(flow.durationMs)}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd>{formatCount(flow.eventCount)}</dd>
          </div>
          <TraceFact flow={flow} template={traceUrl} />
          <div className="fs-flowhead__services">
            <dt>Services</dt>
            <dd>
              {flow.services.length === 0 ? (
                <span className="fs-muted">none known</span>
              ) : (
                flow.services.map((s) => (
                  <span key={s} className="fs-service-tag" title={s}>
                    {s}
                  </span>
                ))
              )}
            </dd>
          </div>
        </dl>
      </div>
      <AnomalyList
        anomalies={flow.anomalies}
        selectedId={selectedId}
        onSelectEvent={onSelectEvent}
        onSelectStep={onSelectStep}
      />
    </header>
  );
}
