import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { ApiRequestError, describeError } from '../../lib/api';
import { selectConnection, useLiveStore } from '../../stores/liveStore';
import { tourPath, TRACE_ROOT } from '../../lib/routes';
import { useAnnotations } from '../annotations';
import { ExportGroup, flowExportLinks } from '../export';
import { FlowHeader } from './FlowHeader';
import { PathComparison } from './PathComparison';
import { useFlow } from './queries';
import { StepInspector } from './StepInspector';
import { traceMarkers } from './trace.markers';
import { TraceSearchBox } from './TraceSearchBox';
import { TraceViz } from './TraceViz';
import { useCanonicalFlow } from './useCanonicalFlow';
import { nextStepId, useTraceKeyboard } from './useTraceKeyboard';
import type { TraceParams } from './useTraceParams';
import { useWatchFlow } from './useWatchFlow';

function FlowError({ flowId, error }: { flowId: string; error: unknown }) {
  const { message, hint } = describeError(error);
  const missing = error instanceof ApiRequestError && error.failure === 'not-found';
  return (
    <div className="fs-tflow-error" role="alert" data-testid={traceMarkers.flowError}>
      <h1>{missing ? 'This flow is not retained' : 'The flow could not be loaded'}</h1>
      <p className="fs-warning">{message}</p>
      <p className="fs-muted">
        {missing
          ? 'Flows are kept while they are recent. Search for the order id, trace id or correlation id of the transaction to find its current flow.'
          : (hint ?? 'Try again in a moment.')}
      </p>
      <p className="fs-muted">
        Looked for <code>{flowId}</code>
      </p>
      <Link className="fs-button fs-button--accent" to={TRACE_ROOT}>
        Search flows
      </Link>
    </div>
  );
}

/** `/trace/<flow id>`: one flow — header, diagrams, expected path, and the selected step. */
export function FlowPage({ flowId, params }: { flowId: string; params: TraceParams }) {
  const query = useFlow(flowId);
  const flow = query.data;
  const connected = useLiveStore(selectConnection).status === 'connected';
  const [cursor, setCursor] = useState<string | null>(null);
  const [highlightStep, setHighlightStep] = useState<string | null>(null);
  const mainRef = useRef<HTMLDivElement>(null);
  const { annotations } = useAnnotations();
  const { step, selectStep, replaceFlow } = params;

  useCanonicalFlow(flowId, flow, step, replaceFlow);
  useWatchFlow(flow?.id ?? null, replaceFlow);

  const events = flow?.events ?? [];
  const cursorId = cursor && events.some((e) => e.id === cursor) ? cursor : step;

  const select = useCallback(
    (id: string) => {
      setCursor(id);
      setHighlightStep(null);
      selectStep(id);
    },
    [selectStep],
  );
  const moveCursor = (id: string) => {
    setCursor(id);
    if (step) selectStep(id); // an open inspector follows the cursor
    // Focus follows too: the diagram scrolls to the step and Enter acts on it.
    requestAnimationFrame(() => {
      const mark = mainRef.current?.querySelector<SVGElement>(`[role="button"][data-event-id="${CSS.escape(id)}"]`);
      mark?.focus();
    });
  };
  useTraceKeyboard({
    events,
    cursorId,
    inspectorOpen: step !== null,
    moveCursor,
    open: select,
    close: () => selectStep(null),
  });

  return (
    <main
      className={`fs-tflow${step && flow ? ' has-inspector' : ''}`}
      data-testid={traceMarkers.flowPage}
      data-flow-id={flow?.id}
      data-status={flow?.status}
    >
      <div className="fs-tflow__main" ref={mainRef}>
        <div className="fs-tflow__bar">
          <Link to={TRACE_ROOT} className="fs-back-link" title="Search flows">
            ← Flows
          </Link>
          <TraceSearchBox initialQuery="" onSubmit={params.search} onOpenFlow={params.openFlow} compact />
          {flow && (
            <span className="fs-tflow__keys-hint fs-muted" aria-hidden="true">
              <kbd>j</kbd> <kbd>k</kbd> steps · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close
            </span>
          )}
          {flow && (
            <div className="fs-tflow__actions">
              <Link
                to={tourPath(flow.id)}
                className="fs-button fs-button--small"
                data-testid={traceMarkers.tourLink}
                title="Step through this flow one event at a time, on the map"
              >
                Take the tour
              </Link>
              <ExportGroup scope="trace" links={flowExportLinks(flow.id)} />
            </div>
          )}
        </div>
        {query.isPending && (
          <p className="fs-tflow__status fs-muted" role="status">
            Loading flow…
          </p>
        )}
        {query.isError && !flow && <FlowError flowId={flowId} error={query.error} />}
        {flow && (
          <>
            <FlowHeader
              flow={flow}
              live={connected}
              selectedId={step}
              onSelectEvent={select}
              onSelectStep={setHighlightStep}
              annotations={annotations}
            />
            <ErrorBoundary area="diagram" resetKey={flow.id}>
              <TraceViz
                flow={flow}
                view={params.view}
                onViewChange={params.setView}
                lanes={params.lanes}
                onLanesChange={params.setLanes}
                selectedId={step}
                cursorId={cursorId}
                onSelect={select}
                annotations={annotations}
              />
            </ErrorBoundary>
            <PathComparison
              flow={flow}
              selectedId={step}
              cursorId={cursorId}
              highlightStep={highlightStep}
              onSelect={select}
              annotations={annotations}
            />
          </>
        )}
      </div>
      {flow && step && (
        <ErrorBoundary area="inspector" resetKey={step}>
          <StepInspector
            flow={flow}
            eventId={step}
            tab={params.tab}
            onTabChange={params.setTab}
            onMove={(d) => {
              const id = nextStepId(events, step, d);
              if (id) select(id);
            }}
            onClose={() => selectStep(null)}
            annotations={annotations}
          />
        </ErrorBoundary>
      )}
    </main>
  );
}
