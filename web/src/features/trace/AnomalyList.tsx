import type { Anomaly } from '@flowscope/shared';
import { anomalyInfo } from './anomalyStyle';
import { AnomalyGlyph } from './badges';
import { traceMarkers } from './trace.markers';

type AnomalyListProps = Readonly<{
  anomalies: readonly Anomaly[];
  selectedId: string | null;
  onSelectEvent: (eventId: string) => void;
  /** For anomalies about a template step rather than an event (a missing step). */
  onSelectStep: (step: string) => void;
}>;

/** What to look at in this flow; each item selects the event (or expected step) concerned. */
export function AnomalyList({ anomalies, selectedId, onSelectEvent, onSelectStep }: AnomalyListProps) {
  if (anomalies.length === 0)
    return (
      <div className="fs-anomalies fs-anomalies--none">
        <span className="fs-tone--ok" aria-hidden="true">
          ✓
        </span>{' '}
        No anomalies: no failures, dead letters, missing, unexpected or repeated steps.
      </div>
    );
  return (
    <section className="fs-anomalies" aria-labelledby="trace-anomalies-title">
      <h2 id="trace-anomalies-title" className="fs-panel-title">
        Anomalies ({anomalies.length})
      </h2>
      <ul className="fs-anomalies__list">
        {anomalies.map((a, i) => {
          const target = a.eventId ?? a.step;
          return (
            <li key={`${a.kind}-${target ?? ''}-${i}`}>
              <button
                type="button"
                className={`fs-anomaly fs-tone--${anomalyInfo[a.kind].tone}${a.eventId && a.eventId === selectedId ? ' is-selected' : ''}`}
                data-testid={traceMarkers.anomalyItem}
                data-kind={a.kind}
                data-event-id={a.eventId}
                disabled={!target}
                title={
                  a.eventId ? 'Select the event concerned' : a.step ? 'Show the step in the expected path' : undefined
                }
                onClick={() => {
                  if (a.eventId) onSelectEvent(a.eventId);
                  else if (a.step) onSelectStep(a.step);
                }}
              >
                <AnomalyGlyph kind={a.kind} />
                <span className="fs-anomaly__kind">{anomalyInfo[a.kind].label}</span>
                <span className="fs-anomaly__message">{a.message}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
