import { useRef, type KeyboardEvent } from 'react';
import type { Annotations } from '../annotations';
import { FlowTimeline } from './FlowTimeline';
import type { Flow } from '@flowscope/shared';
import { SequenceDiagram } from './SequenceDiagram';
import type { LaneMode } from './timelineLayout';
import { traceMarkers } from './trace.markers';
import type { TraceViewMode } from './useTraceParams';
import { useTimelineViewport } from './useTimelineViewport';

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

const views: readonly { id: TraceViewMode; label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'sequence', label: 'Sequence' },
];

/** The two pictures of a flow, as tabs: the timeline (with zoom) and the sequence diagram. */
export function TraceViz(p: TraceVizProps) {
  const viewport = useTimelineViewport(p.flow.events);
  const tabRefs = useRef<Partial<Record<TraceViewMode, HTMLButtonElement | null>>>({});

  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next = p.view === 'timeline' ? 'sequence' : 'timeline';
    p.onViewChange(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <section className="fs-tviz" aria-label="Flow diagram">
      <div className="fs-tviz__bar">
        <div className="fs-tabs fs-tviz__tabs" role="tablist" aria-label="Diagram" onKeyDown={onTabKey}>
          {views.map((v) => (
            <button
              key={v.id}
              ref={(el) => {
                tabRefs.current[v.id] = el;
              }}
              type="button"
              role="tab"
              id={`trace-tab-${v.id}`}
              aria-selected={p.view === v.id}
              aria-controls="trace-viz-panel"
              tabIndex={p.view === v.id ? 0 : -1}
              className="fs-tabs__tab"
              data-testid={traceMarkers.viewTab(v.id)}
              onClick={() => p.onViewChange(v.id)}
            >
              {v.label}
            </button>
          ))}
        </div>
        {p.view === 'timeline' && (
          <div className="fs-tviz__tools">
            <div className="fs-seg" role="group" aria-label="Lanes" data-testid={traceMarkers.laneToggle}>
              <span className="fs-seg__label">Lanes</span>
              {(['service', 'channel'] as const).map((l) => (
                <button
                  key={l}
                  type="button"
                  className="fs-seg__btn"
                  aria-pressed={p.lanes === l}
                  data-lanes={l}
                  onClick={() => p.onLanesChange(l)}
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
        )}
        {p.view === 'sequence' && (
          <span className="fs-tviz__hint fs-muted">
            Arrows run from the service that produced the cause to the one that reacted.
          </span>
        )}
      </div>
      <div id="trace-viz-panel" role="tabpanel" aria-labelledby={`trace-tab-${p.view}`} className="fs-tviz__body">
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
      </div>
    </section>
  );
}
