import { useCallback, useEffect, useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { describeError } from '../../lib/api';
import { formatClock, formatDuration } from '../../lib/format';
import { isEditable } from '../../lib/keyboard';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';
import { selectTopology, useLiveStore } from '../../stores/liveStore';
import { TRACE_ROOT, tracePath } from '../../lib/routes';
import { AnnotationBlock, annotationTarget, useAnnotations } from '../annotations';
import { PayloadView } from '../inspector';
import { useFlow } from '../trace';
import { tourMarkers } from './tour.markers';
import { TourMap } from './TourMap';
import { applyMove, stepIndex, tourHighlight, tourMoveFor, tourStep, tourTopology, type TourMove } from './tourSteps';
import './tour.css';

/** `/tour/<flow id>?step=<n>`: a recorded flow, one event at a time, on the map, with payload and notes. */
export function TourView() {
  const params = useParams();
  const flowId = (params['*'] ?? '').replace(/\/+$/, '');
  const [search, patch] = useSearchParamsPatch();
  const navigate = useNavigate();
  const query = useFlow(flowId || null);
  const flow = query.data;
  const liveTopology = useLiveStore(selectTopology);
  const { annotations } = useAnnotations();

  const count = flow?.events.length ?? 0;
  const index = stepIndex(search.get('step'), count);
  const step = flow ? tourStep(flow, index) : null;
  const topology = useMemo(() => (flow ? tourTopology(flow, liveTopology) : null), [flow, liveTopology]);
  const highlight = useMemo(() => (step && topology ? tourHighlight(step, topology.edges) : null), [step, topology]);

  const traceLink = flow ? tracePath(flow.id, { step: step?.event.id }) : tracePath(flowId);
  const move = useCallback(
    (m: TourMove) => {
      if (m === 'exit') return void navigate(traceLink);
      patch({ step: String(applyMove(index, m, count) + 1) });
    },
    [navigate, traceLink, patch, index, count],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      const m = tourMoveFor(e.key);
      if (!m) return;
      e.preventDefault();
      move(m);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move]);

  if (!flowId)
    return (
      <main className="fs-tour fs-tour--message" data-testid={tourMarkers.error}>
        <h1>Which flow?</h1>
        <p className="fs-muted">Open a flow in the trace view and choose “Take the tour”.</p>
        <Link className="fs-button fs-button--accent" to={TRACE_ROOT}>
          Search flows
        </Link>
      </main>
    );

  if (!flow) {
    return (
      <main className="fs-tour fs-tour--message">
        {query.isError ? (
          <div role="alert" data-testid={tourMarkers.error}>
            <h1>This flow cannot be toured</h1>
            <p className="fs-warning">{describeError(query.error).message}</p>
            <p className="fs-muted">
              Flows are kept while they are recent. Search for its order, trace or correlation id to find it again.
            </p>
            <Link className="fs-button fs-button--accent" to={TRACE_ROOT}>
              Search flows
            </Link>
          </div>
        ) : (
          <p className="fs-muted" role="status">
            Loading the flow…
          </p>
        )}
      </main>
    );
  }

  const event = step?.event;
  const producer = event?.producer ?? '';
  const stepTarget = step ? annotationTarget.step(flow.kind, step.step) : '';
  return (
    <main
      className="fs-tour"
      data-testid={tourMarkers.root}
      data-flow-id={flow.id}
      data-step={index + 1}
      data-count={count}
    >
      <header className="fs-tour__bar">
        <Link
          to={traceLink}
          className="fs-back-link fs-tour__exit"
          data-testid={tourMarkers.exit}
          title="Back to the trace (Esc)"
        >
          ← Trace
        </Link>
        <h1 className="fs-tour__title">
          Tour of <span className="fs-tour__kind">{flow.kind}</span>
        </h1>
        <span className="fs-tour__count" aria-live="polite">
          Step {index + 1} of {count}
        </span>
        <div className="fs-tour__nav">
          <button
            type="button"
            className="fs-button"
            onClick={() => move('previous')}
            disabled={index <= 0}
            data-testid={tourMarkers.previous}
            title="Previous step (← or k)"
          >
            ← Previous
          </button>
          <button
            type="button"
            className="fs-button fs-button--accent"
            onClick={() => move('next')}
            disabled={index >= count - 1}
            data-testid={tourMarkers.next}
            title="Next step (→ or j)"
          >
            Next →
          </button>
        </div>
        <span className="fs-muted fs-tour__keys" aria-hidden="true">
          <kbd>←</kbd> <kbd>→</kbd> steps · <kbd>Home</kbd> <kbd>End</kbd> · <kbd>Esc</kbd> back
        </span>
      </header>
      <ol className="fs-tour__progress" data-testid={tourMarkers.progress} aria-label="Steps">
        {flow.events.map((e, i) => (
          <li key={e.id}>
            <button
              type="button"
              className={`fs-tour__dot${i < index ? ' is-done' : ''}${i === index ? ' is-current' : ''}`}
              aria-current={i === index ? 'step' : undefined}
              aria-label={`Step ${i + 1}: ${e.type ?? '(untyped)'} on ${e.channel}`}
              title={`${i + 1}. ${e.type ?? '(untyped)'} on ${e.channel}`}
              data-testid={tourMarkers.progressItem}
              data-step={i + 1}
              onClick={() => patch({ step: String(i + 1) })}
            />
          </li>
        ))}
      </ol>
      <div className="fs-tour__body">
        {topology && highlight && step && (
          <ErrorBoundary area="map" resetKey={flow.id}>
            <TourMap topology={topology} highlight={highlight} producer={producer} channel={event?.channel ?? ''} />
          </ErrorBoundary>
        )}
        {step && event && (
          <aside className="fs-tour__panel" data-testid={tourMarkers.step} data-event-id={event.id}>
            <h2 className="fs-tour__type">{event.type ?? '(untyped)'}</h2>
            <p className="fs-tour__route">
              <span className="fs-tour__service">{producer || 'an unknown producer'}</span>
              <span className="fs-muted"> published to </span>
              <span className="fs-tour__channel">{event.channel}</span>
              <span className="fs-muted"> at {formatClock(event.timestamp)}</span>
            </p>
            <dl className="fs-tour__facts">
              <div>
                <dt>Since the previous step</dt>
                <dd>{step.sincePreviousMs === null ? 'starts the flow' : formatDuration(step.sincePreviousMs)}</dd>
              </div>
              <div>
                <dt>Next step in</dt>
                <dd data-testid={tourMarkers.nextIn}>
                  {step.nextInMs === null ? 'this is the last step' : formatDuration(step.nextInMs)}
                </dd>
              </div>
              {step.consumerNodeIds.length > 0 && (
                <div>
                  <dt>Reacted to by</dt>
                  <dd>{step.consumerNodeIds.map((id) => id.replace(/^service:/, '')).join(', ')}</dd>
                </div>
              )}
            </dl>
            <div data-testid={tourMarkers.annotation}>
              <AnnotationBlock
                key={stepTarget}
                target={stepTarget}
                annotations={annotations}
                subject={`step ${step.step} of ${flow.kind}`}
              />
            </div>
            <h3 className="fs-panel-title">Payload</h3>
            <ErrorBoundary area="payload" resetKey={event.id}>
              <PayloadView key={event.id} payload={event.payload} />
            </ErrorBoundary>
          </aside>
        )}
      </div>
    </main>
  );
}
