import type { LaneMode, TimelineLayout } from './timelineLayout';
import { traceMarkers } from './trace.markers';
import { TIMELINE_GUTTER } from './useTimelineViewport';

const laneClass = (base: string, i: number, deadLetter: boolean) =>
  `${base}${i % 2 ? ' is-odd' : ''}${deadLetter ? ' is-dlq' : ''}`;

/** The sticky column of lane names left of the timeline. */
export function TimelineGutter({ layout, lanes }: { layout: TimelineLayout; lanes: LaneMode }) {
  return (
    <div className="fs-timeline__gutter" style={{ width: TIMELINE_GUTTER, height: layout.height }}>
      <div className="fs-timeline__corner" style={{ height: layout.lanes[0]?.y ?? 30 }}>
        {lanes === 'service' ? 'Service' : 'Channel'}
      </div>
      {layout.lanes.map((lane, i) => (
        <div
          key={lane.id}
          className={laneClass('fs-timeline__lane-name', i, lane.deadLetter)}
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
  );
}

/** Behind the marks: the arrowhead, lane bands, time ticks and the hops between events. */
export function TimelineBackdrop({ layout, arrowId }: { layout: TimelineLayout; arrowId: string }) {
  return (
    <>
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
          className={laneClass('fs-tl-lane', i, lane.deadLetter)}
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
    </>
  );
}

/** Hop latencies, drawn over the marks where there is room. */
export function TimelineHopLabels({ layout }: { layout: TimelineLayout }) {
  return layout.hops.map((h) =>
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
  );
}
