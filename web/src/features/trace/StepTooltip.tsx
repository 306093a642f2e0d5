import type { AnomalyKind, FlowEvent, Hop } from '@flowscope/shared';
import type { CSSProperties } from 'react';
import { formatClock, formatLatency } from '../../lib/format';
import { AnomalyChip } from './badges';
import { traceMarkers } from './trace.markers';

type StepTooltipProps = Readonly<{
  event: FlowEvent;
  /** The hop into this event and the event it came from, if any. */
  hop: Hop | undefined;
  from: FlowEvent | undefined;
  t0: number;
  anomalies: readonly AnomalyKind[];
  /** The note on this step, as one line. */
  note?: string | undefined;
  style: CSSProperties;
}>;

/** What a mark stands for, on hover or keyboard focus. */
export function StepTooltip({ event, hop, from, t0, anomalies, note, style }: StepTooltipProps) {
  return (
    <div className="fs-ttip" role="tooltip" style={style} data-testid={traceMarkers.tooltip}>
      <div className="fs-ttip__title">{event.type ?? 'untyped event'}</div>
      <dl className="fs-ttip__facts">
        <dt>Channel</dt>
        <dd>
          <span className="fs-pill-inline">{event.channel}</span>
        </dd>
        <dt>Producer</dt>
        <dd>{event.producer ?? <span className="fs-muted">unknown</span>}</dd>
        <dt>Time</dt>
        <dd>
          {formatClock(event.timestamp)}{' '}
          <span className="fs-muted">({formatLatency(event.timestamp - t0)} into the flow)</span>
        </dd>
        <dt>Latency</dt>
        <dd>
          {hop ? (
            <>
              {formatLatency(hop.latencyMs)}{' '}
              <span className="fs-muted">
                after {from?.type ?? 'the previous step'}
                {hop.inferred ? ' (by time; no causation id)' : ''}
              </span>
            </>
          ) : (
            <span className="fs-muted">first step</span>
          )}
        </dd>
      </dl>
      {note && <p className="fs-ttip__note">{note}</p>}
      {anomalies.length > 0 && (
        <div className="fs-ttip__anomalies">
          {anomalies.map((k) => (
            <AnomalyChip key={k} kind={k} />
          ))}
        </div>
      )}
    </div>
  );
}
