import { memo } from 'react';
import { formatLatency } from '../../lib/format';
import { anomalyInfo, primaryAnomaly } from './anomalyStyle';
import type { TimelineMark as Mark } from './timelineLayout';
import { traceMarkers } from './trace.markers';

type TimelineMarkProps = Readonly<{
  mark: Mark;
  eventType: string | undefined;
  /** The whole note on this step, if someone wrote one. */
  note?: string | undefined;
  selected: boolean;
  cursor: boolean;
  onSelect: (id: string) => void;
  /** The hovered or focused mark (null: none), with the timeline's scroll container. */
  onHover: (id: string | null, scroller: HTMLElement | null) => void;
}>;

const scrollerOf = (el: Element) => el.closest<HTMLElement>('.fs-timeline__scroll');

/** One event on the timeline: a dot in its lane, its anomaly badge and its type below. */
export const TimelineMark = memo(function TimelineMark({
  mark: m,
  eventType,
  note,
  selected,
  cursor,
  onSelect,
  onHover,
}: TimelineMarkProps) {
  const primary = primaryAnomaly(m.anomalies);
  const classes = ['fs-tl-mark', `fs-sev--${m.severity ?? 'none'}`];
  if (selected) classes.push('is-selected');
  if (cursor) classes.push('is-cursor');
  return (
    <g
      className={classes.join(' ')}
      data-mark=""
      data-testid={traceMarkers.timelineMark}
      data-event-id={m.eventId}
      data-event-type={eventType}
      data-severity={m.severity ?? 'none'}
      data-has-note={note ? true : undefined}
      role="button"
      tabIndex={cursor ? 0 : -1}
      aria-pressed={selected}
      aria-label={`Step ${m.index + 1}: ${m.label} in ${m.laneId}, ${formatLatency(m.offsetMs)}${
        primary ? `, ${m.anomalies.map((k) => anomalyInfo[k].label).join(', ')}` : ''
      }${note ? `. Note: ${note}` : ''}`}
      onClick={() => onSelect(m.eventId)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(m.eventId);
        }
      }}
      onMouseEnter={(e) => onHover(m.eventId, scrollerOf(e.currentTarget))}
      onMouseLeave={() => onHover(null, null)}
      onFocus={(e) => onHover(m.eventId, scrollerOf(e.currentTarget))}
      onBlur={() => onHover(null, null)}
    >
      <rect className="fs-tl-mark__hit" x={m.x - 12} y={m.y - 12} width={24} height={m.labelY - m.y + 18} />
      <circle className="fs-tl-mark__halo" cx={m.x} cy={m.y} r={12} />
      <circle className="fs-tl-mark__dot" cx={m.x} cy={m.y} r={7} />
      {primary && (
        <g className={`fs-tl-badge fs-tone--${anomalyInfo[primary].tone}`}>
          <circle cx={m.x + 9} cy={m.y - 9} r={6.5} />
          <text x={m.x + 9} y={m.y - 9} dy="0.35em" textAnchor="middle">
            {anomalyInfo[primary].glyph}
          </text>
        </g>
      )}
      {note && (
        // A sheet with a folded corner, top left of the dot (the anomaly badge is top right).
        <path
          className="fs-tl-note"
          data-testid={traceMarkers.timelineNote}
          d={`M${m.x - 21},${m.y - 17}h6l3,3v8h-9z`}
        />
      )}
      <text className="fs-tl-mark__label" x={m.x} y={m.labelY} textAnchor="middle">
        {m.label}
      </text>
    </g>
  );
});
