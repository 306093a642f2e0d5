import type { Flow } from '@flowscope/shared';
import { useCallback, useId, useMemo, useState } from 'react';
import type { Annotations } from '../annotations';
import { anomaliesByEvent, hopsByTarget } from './flowSteps';
import { StepTooltip } from './StepTooltip';
import { layoutTimeline, type LaneMode } from './timelineLayout';
import { TimelineMark } from './TimelineMark';
import { TimelineBackdrop, TimelineGutter, TimelineHopLabels } from './TimelineParts';
import { traceMarkers } from './trace.markers';
import { useStepNotes } from './useStepNotes';
import { TIMELINE_GUTTER, type TimelineViewport } from './useTimelineViewport';

type FlowTimelineProps = Readonly<{
  flow: Flow;
  lanes: LaneMode;
  viewport: TimelineViewport;
  selectedId: string | null;
  cursorId: string | null;
  onSelect: (eventId: string) => void;
  /** Notes by target: a step with one gets a note marker. */
  annotations?: Annotations;
}>;

/** The flow in time: a lane per service (or channel), a mark per event, hops with their latency. */
export function FlowTimeline({
  flow,
  lanes,
  viewport,
  selectedId,
  cursorId,
  onSelect,
  annotations,
}: FlowTimelineProps) {
  const layout = useMemo(() => layoutTimeline(flow, lanes, viewport.pxPerMs), [flow, lanes, viewport.pxPerMs]);
  const events = useMemo(() => new Map(flow.events.map((e) => [e.id, e])), [flow.events]);
  const into = useMemo(() => hopsByTarget(flow.hops), [flow.hops]);
  const kinds = useMemo(() => anomaliesByEvent(flow.anomalies), [flow.anomalies]);
  const notes = useStepNotes(flow, annotations);
  const [tip, setTip] = useState<{ id: string; left: number; top: number } | null>(null);
  const arrowId = `fs-tl-arrow-${useId().replace(/[^\w-]/g, '')}`;
  const tabStop = cursorId ?? selectedId ?? flow.events[0]?.id ?? null;

  const { attach, dragging, panHandlers } = viewport;
  const hovered = tip ? events.get(tip.id) : undefined;
  const hop = tip ? into.get(tip.id) : undefined;

  // Placed when shown, from where the mark is on screen then; scrolling hides it.
  const showTip = useCallback(
    (id: string | null, scroller: HTMLElement | null) => {
      const m = id ? layout.marks.find((x) => x.eventId === id) : undefined;
      if (!id || !m || !scroller) {
        setTip(null);
        return;
      }
      const left = TIMELINE_GUTTER + m.x - scroller.scrollLeft + 14;
      setTip({ id, left: Math.max(8, Math.min(left, scroller.clientWidth - 300)), top: m.y - scroller.scrollTop + 14 });
    },
    [layout.marks],
  );

  return (
    <div className="fs-timeline" data-testid={traceMarkers.timelineRoot} data-lanes={lanes}>
      <div
        ref={attach}
        className={`fs-timeline__scroll${dragging ? ' is-dragging' : ''}`}
        onScroll={() => setTip(null)}
        {...panHandlers}
      >
        <div className="fs-timeline__canvas" style={{ width: TIMELINE_GUTTER + layout.width, height: layout.height }}>
          <TimelineGutter layout={layout} lanes={lanes} />
          <svg
            className="fs-timeline__svg"
            width={layout.width}
            height={layout.height}
            role="group"
            aria-label="Timeline"
          >
            <TimelineBackdrop layout={layout} arrowId={arrowId} />
            {layout.marks.map((m) => (
              <TimelineMark
                key={m.eventId}
                mark={m}
                eventType={events.get(m.eventId)?.type}
                note={notes.get(m.eventId)}
                selected={m.eventId === selectedId}
                cursor={m.eventId === tabStop}
                onSelect={onSelect}
                onHover={showTip}
              />
            ))}
            <TimelineHopLabels layout={layout} />
          </svg>
        </div>
      </div>
      {tip && hovered && (
        <StepTooltip
          event={hovered}
          hop={hop}
          from={hop ? events.get(hop.from) : undefined}
          t0={layout.t0}
          anomalies={kinds.get(tip.id) ?? []}
          note={notes.get(tip.id)}
          style={{ left: tip.left, top: tip.top }}
        />
      )}
    </div>
  );
}
