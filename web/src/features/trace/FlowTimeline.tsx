import { stepOf, type Flow } from '@flowscope/shared';
import { useCallback, useId, useMemo, useState } from 'react';
import { type Annotations, annotationTarget, hasText, noteFullText } from '../annotations';
import { anomaliesByEvent, hopsByTarget } from './flowSteps';
import { StepTooltip } from './StepTooltip';
import { layoutTimeline, type LaneMode } from './timelineLayout';
import { TimelineMark } from './TimelineMark';
import { traceMarkers } from './trace.markers';
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
  const notes = useMemo(() => {
    const out = new Map<string, string>();
    if (!annotations) return out;
    for (const e of flow.events) {
      const note = annotations.byTarget.get(annotationTarget.step(flow.kind, stepOf(e)));
      if (hasText(note)) out.set(e.id, noteFullText(note));
    }
    return out;
  }, [annotations, flow.events, flow.kind]);
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
          <div className="fs-timeline__gutter" style={{ width: TIMELINE_GUTTER, height: layout.height }}>
            <div className="fs-timeline__corner" style={{ height: layout.lanes[0]?.y ?? 30 }}>
              {lanes === 'service' ? 'Service' : 'Channel'}
            </div>
            {layout.lanes.map((lane, i) => (
              <div
                key={lane.id}
                className={`fs-timeline__lane-name${i % 2 ? ' is-odd' : ''}${lane.deadLetter ? ' is-dlq' : ''}`}
                style={{ top: lane.y, height: lane.height }}
                data-testid={traceMarkers.lane}
                data-lane={lane.id}
                title={lane.label}
              >
                {lane.deadLetter && <span aria-hidden="true">☠ </span>}
                {lane.label}
              </div>
            ))}
          </div>
          <svg
            className="fs-timeline__svg"
            width={layout.width}
            height={layout.height}
            role="group"
            aria-label="Timeline"
          >
            <defs>
              <marker
                id={arrowId}
                viewBox="0 0 8 8"
                refX="7"
                refY="4"
                markerWidth="9"
                markerHeight="9"
                markerUnits="userSpaceOnUse"
                orient="auto"
              >
                <path d="M0,0.5 L8,4 L0,7.5 z" className="fs-tl-arrowhead" />
              </marker>
            </defs>
            {layout.lanes.map((lane, i) => (
              <rect
                key={lane.id}
                className={`fs-tl-lane${i % 2 ? ' is-odd' : ''}${lane.deadLetter ? ' is-dlq' : ''}`}
                x={0}
                y={lane.y}
                width={layout.width}
                height={lane.height}
              />
            ))}
            {layout.ticks.map((t) => (
              <g key={t.x} className="fs-tl-tick">
                <line x1={t.x} x2={t.x} y1={22} y2={layout.height} />
                <text x={t.x + 4} y={16}>
                  {t.label}
                </text>
              </g>
            ))}
            {layout.hops.map((h) => (
              <path
                key={`${h.from}>${h.to}`}
                className={`fs-tl-hop${h.inferred ? ' is-inferred' : ''}`}
                d={h.d}
                markerEnd={`url(#${arrowId})`}
              />
            ))}
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
            {layout.hops.map((h) =>
              h.labelShown ? (
                <text
                  key={`${h.from}>${h.to}`}
                  className={`fs-tl-hop-label${h.inferred ? ' is-inferred' : ''}`}
                  x={h.labelX}
                  y={h.labelY}
                  textAnchor={h.labelAnchor}
                  data-testid={traceMarkers.hopLabel}
                  data-from={h.from}
                  data-to={h.to}
                  data-inferred={h.inferred}
                >
                  {h.label}
                </text>
              ) : null,
            )}
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
