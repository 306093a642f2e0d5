import { ErrorBoundary } from '../../components/ErrorBoundary';
import { selectTopology, useLiveStore } from '../../stores/liveStore';
import { BreakpointsButton, DebugBar, debugMarkers, useFlowHighlight, useOpenAtStop } from '../debug';
import { HistoryBar, HistoryButton, useLeaveHistory } from '../history';
import { InspectorPanel } from '../inspector';
import { MapView } from '../map';
import { StreamView } from '../stream';
import { useLiveParams } from './useLiveParams';
import './live.css';

/** The Watch view (inside the app shell): map on top, stream below, inspector on the right when an event is open. */
export function LiveView() {
  const topology = useLiveStore(selectTopology);
  const params = useLiveParams();
  useOpenAtStop(params.openEvent);
  useLeaveHistory(params.at);
  const highlight = useFlowHighlight(topology);

  return (
    <main className={`fs-live${params.eventId ? ' has-inspector' : ''}`}>
      <div className="fs-live__main">
        <ErrorBoundary area="debugger">
          {params.at !== null ? (
            <HistoryBar at={params.at} onAt={params.setAt} windowMs={params.window} onWindow={params.setWindow} />
          ) : (
            <DebugBar onOpenEvent={params.openEvent} />
          )}
        </ErrorBoundary>
        <ErrorBoundary area="map">
          <MapView
            topology={topology}
            activeNodeId={params.nodeId}
            onToggleNode={params.toggleNode}
            hiddenEvidence={params.hiddenEvidence}
            onToggleEvidence={params.toggleEvidence}
            highlight={
              highlight && { nodes: highlight.nodes, edges: highlight.edges, className: debugMarkers.flowClass }
            }
          />
        </ErrorBoundary>
        <ErrorBoundary area="stream">
          <StreamView
            openId={params.eventId}
            onOpen={params.openEvent}
            onClose={params.closeEvent}
            query={params.query}
            onQueryChange={params.setQuery}
            queryMode={params.queryMode}
            onQueryModeChange={params.setQueryMode}
            nodeId={params.nodeId}
            onClearNode={() => params.setNode(null)}
            onClearFilters={params.clearFilters}
            marked={highlight && { ids: highlight.eventIds, className: debugMarkers.flowClass }}
            actions={
              <>
                {params.at === null && <HistoryButton onAt={params.setAt} />}
                <BreakpointsButton />
              </>
            }
          />
        </ErrorBoundary>
      </div>
      {params.eventId && (
        <ErrorBoundary area="inspector" resetKey={params.eventId}>
          <InspectorPanel eventId={params.eventId} onClose={params.closeEvent} at={params.at} />
        </ErrorBoundary>
      )}
    </main>
  );
}
