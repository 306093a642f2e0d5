import { useRef } from 'react';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { useHealth } from '../../lib/health';
import { selectConnection, useLiveStore } from '../../stores/liveStore';
import { useAnnotations } from '../annotations';
import { FlowBar } from './FlowBar';
import { FlowError } from './FlowError';
import { FlowHeader } from './FlowHeader';
import { PathComparison } from './PathComparison';
import { useFlow } from './queries';
import { StepInspector } from './StepInspector';
import { traceMarkers } from './trace.markers';
import { TraceViz } from './TraceViz';
import { useCanonicalFlow } from './useCanonicalFlow';
import { useFlowCursor } from './useFlowCursor';
import type { TraceParams } from './useTraceParams';
import { useWatchFlow } from './useWatchFlow';

/** `/trace/<flow id>`: one flow — header, diagrams, expected path, and the selected step. */
export function FlowPage({ flowId, params }: { flowId: string; params: TraceParams }) {
  const query = useFlow(flowId, params.at);
  const flow = query.data;
  const connected = useLiveStore(selectConnection).status === 'connected';
  const mainRef = useRef<HTMLDivElement>(null);
  const { annotations } = useAnnotations();
  const traceUrl = useHealth().data?.links?.trace;
  const { step, selectStep, replaceFlow } = params;

  useCanonicalFlow(flowId, flow, step, replaceFlow);
  useWatchFlow(flow?.id ?? null, replaceFlow);
  const cursor = { flow, step, selectStep, mainRef };
  const { cursorId, select, move, highlightStep, setHighlightStep } = useFlowCursor(cursor);

  return (
    <main
      className={`fs-tflow${step && flow ? ' has-inspector' : ''}`}
      data-testid={traceMarkers.flowPage}
      data-flow-id={flow?.id}
      data-status={flow?.status}
    >
      <div className="fs-tflow__main" ref={mainRef}>
        <FlowBar flow={flow} params={params} />
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
              traceUrl={traceUrl}
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
            onMove={move}
            onClose={() => selectStep(null)}
            annotations={annotations}
          />
        </ErrorBoundary>
      )}
    </main>
  );
}
