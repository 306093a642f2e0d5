import { TabPanel, Tabs, type TabItem } from '../../components/Tabs';
import type { Annotations } from '../annotations';
import { FlowTimeline } from './FlowTimeline';
import type { Flow } from '@flowscope/shared';
import { SequenceDiagram } from './SequenceDiagram';
import type { LaneMode } from './timelineLayout';
import { traceMarkers } from './trace.markers';
import type { TraceViewMode } from './useTraceParams';
import { useTimelineViewport, type TimelineViewport } from './useTimelineViewport';

type TraceVizProps = Readonly<{
  flow: Flow;
  view: TraceViewMode;
  onViewChange: (view: TraceViewMode) => void;
  lanes: LaneMode;
  onLanesChange: (lanes: LaneMode) => void;
  selectedId: string | null;
  cursorId: string | null;
  onSelect: (eventId: string) => void;
  /** Notes by target: the timeline marks steps that have one. */
  annotations?: Annotations;
}>;

const views: readonly TabItem<TraceViewMode>[] = [
  { id: 'timeline', label: 'Timeline', testId: traceMarkers.viewTab('timeline') },
  { id: 'sequence', label: 'Sequence', testId: traceMarkers.viewTab('sequence') },
];

/** The two pictures of a flow, as tabs: the timeline (with zoom) and the sequence diagram. */
export function TraceViz(p: TraceVizProps) {
  const viewport = useTimelineViewport(p.flow.events);

  return (
    <section className="fs-tviz" aria-label="Flow diagram">
      <div className="fs-tviz__bar">
        <Tabs
          tabs={views}
          selected={p.view}
          onSelect={p.onViewChange}
          label="Diagram"
          idPrefix="trace"
          className="fs-tviz__tabs"
        />
        {p.view === 'timeline' && <TimelineTools lanes={p.lanes} onLanesChange={p.onLanesChange} viewport={viewport} />}
        {p.view === 'sequence' && (
          <span className="fs-tviz__hint fs-muted">
            Arrows run from the service that produced the cause to the one that reacted.
          </span>
        )}
      </div>
      <TabPanel idPrefix="trace" selected={p.view} className="fs-tviz__body">
        {p.view === 'timeline' ? (
          <FlowTimeline
            flow={p.flow}
            lanes={p.lanes}
            viewport={viewport}
            selectedId={p.selectedId}
            cursorId={p.cursorId}
            onSelect={p.onSelect}
            {...(p.annotations ? { annotations: p.annotations } : {})}
          />
        ) : (
          <SequenceDiagram flow={p.flow} selectedId={p.selectedId} cursorId={p.cursorId} onSelect={p.onSelect} />
        )}
      </TabPanel>
    </section>
  );
}

type ToolsProps = Readonly<{
  lanes: LaneMode;
  onLanesChange: (lanes: LaneMode) => void;
  viewport: TimelineViewport;
}>;

/** The timeline's lanes (by service or channel) and zoom controls. */
function TimelineTools({ lanes, onLanesChange, viewport }: ToolsProps) {
  return (
    <div className="fs-tviz__tools">
      <div className="fs-seg" role="group" aria-label="Lanes" data-testid={traceMarkers.laneToggle}>
        <span className="fs-seg__label">Lanes</span>
        {(['service', 'channel'] as const).map((l) => (
          <button
            key={l}
            type="button"
            className="fs-seg__btn"
            aria-pressed={lanes === l}
            data-lanes={l}
            onClick={() => onLanesChange(l)}
          >
            {l === 'service' ? 'Services' : 'Channels'}
          </button>
        ))}
      </div>
      <div className="fs-seg" role="group" aria-label="Zoom">
        <button
          type="button"
          className="fs-seg__btn"
          aria-label="Zoom out"
          title="Zoom out (ctrl/⌘ + wheel)"
          data-testid={traceMarkers.zoomOut}
          disabled={viewport.isFit}
          onClick={viewport.zoomOut}
        >
          −
        </button>
        <span className="fs-seg__readout" aria-live="polite" title="Zoom relative to the whole flow">
          {Math.round(viewport.relative * 100)}%
        </span>
        <button
          type="button"
          className="fs-seg__btn"
          aria-label="Zoom in"
          title="Zoom in (ctrl/⌘ + wheel)"
          data-testid={traceMarkers.zoomIn}
          onClick={viewport.zoomIn}
        >
          +
        </button>
        <button
          type="button"
          className="fs-seg__btn"
          aria-pressed={viewport.isFit}
          title="Show the whole flow"
          data-testid={traceMarkers.zoomFit}
          onClick={viewport.fit}
        >
          Fit
        </button>
      </div>
    </div>
  );
}
