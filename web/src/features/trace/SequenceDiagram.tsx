import { useId, useMemo } from 'react';
import { anomalyInfo } from './anomalyStyle';
import type { Flow } from '@flowscope/shared';
import { SEQUENCE, layoutSequence, type SequenceArrow } from './sequenceLayout';
import { traceMarkers } from './trace.markers';

type SequenceDiagramProps = Readonly<{
  flow: Flow;
  selectedId: string | null;
  cursorId: string | null;
  onSelect: (eventId: string) => void;
}>;

type ArrowProps = Readonly<{
  a: SequenceArrow;
  width: number;
  eventType: string | undefined;
  anomalies: string;
  selected: boolean;
  tabStop: boolean;
  markerId: string;
  onSelect: (eventId: string) => void;
}>;

const toneOf = (s: SequenceArrow['severity']) =>
  s === 'failure' || s === 'dead-letter' ? 'err' : s === 'warning' ? 'warn' : 'none';

function Arrow({ a, width, eventType, anomalies, selected, tabStop, markerId, onSelect }: ArrowProps) {
  const classes = ['fs-sq-row', `fs-sev--${a.severity ?? 'none'}`, `is-${a.kind}`];
  if (selected) classes.push('is-selected');
  if (tabStop) classes.push('is-cursor');
  const what = a.kind === 'publish' ? 'published' : a.kind === 'self' ? 'in reaction to its own event' : 'in reaction';
  return (
    <g
      className={classes.join(' ')}
      data-testid={traceMarkers.sequenceArrow}
      data-event-id={a.eventId}
      data-event-type={eventType}
      data-kind={a.kind}
      data-severity={a.severity ?? 'none'}
      role="button"
      tabIndex={tabStop ? 0 : -1}
      aria-pressed={selected}
      aria-label={`Step ${a.index + 1}: ${a.label} on ${a.channel}, ${what}, ${a.offset}${anomalies ? `, ${anomalies}` : ''}`}
      onClick={() => onSelect(a.eventId)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(a.eventId);
        }
      }}
    >
      <rect
        className="fs-sq-row__band"
        x={0}
        y={a.y - SEQUENCE.rowHeight / 2}
        width={width}
        height={SEQUENCE.rowHeight}
      />
      <text className="fs-sq-row__offset" x={SEQUENCE.gutter - 12} y={a.y + 4} textAnchor="end">
        {a.offset}
      </text>
      <path
        className={`fs-sq-arrow${a.inferred ? ' is-inferred' : ''}`}
        d={a.d}
        markerEnd={`url(#${markerId}-${toneOf(a.severity)})`}
      />
      {a.kind === 'publish' && a.pillX !== undefined && (
        <g className="fs-sq-pill">
          <rect x={a.pillX + 4} y={a.y - 10} width={a.channel.length * 6.6 + 16} height={20} rx={10} />
          <text x={a.pillX + 12} y={a.y + 4}>
            {a.channel}
          </text>
        </g>
      )}
      <text className="fs-sq-label" x={a.labelX} y={a.labelY} textAnchor={a.labelAnchor}>
        <tspan className="fs-sq-label__type">{a.label}</tspan>
        {a.kind !== 'publish' && <tspan className="fs-sq-label__channel"> @ {a.channel}</tspan>}
        {a.severity === 'dead-letter' && <tspan className="fs-sq-label__dlq"> ☠ dead-lettered</tspan>}
      </text>
      {a.latency && (
        <text
          className="fs-sq-latency"
          x={a.kind === 'self' ? a.labelX : a.labelX}
          y={a.kind === 'self' ? a.labelY + 14 : a.y + 15}
          textAnchor={a.labelAnchor}
        >
          {a.latency}
          {a.inferred ? ' · by time' : ''}
        </text>
      )}
    </g>
  );
}

/** The flow as a conversation between services: who reacted to what, in which order. */
export function SequenceDiagram({ flow, selectedId, cursorId, onSelect }: SequenceDiagramProps) {
  const layout = useMemo(() => layoutSequence(flow), [flow]);
  const markerId = `fs-sq-arrow-${useId().replace(/[^\w-]/g, '')}`;
  const byId = useMemo(() => new Map(flow.events.map((e) => [e.id, e])), [flow.events]);
  const tabStop = cursorId ?? selectedId ?? flow.events[0]?.id ?? null;
  const anomalyText = (id: string) =>
    flow.anomalies
      .filter((x) => x.eventId === id)
      .map((x) => anomalyInfo[x.kind].label)
      .join(', ');

  return (
    <div className="fs-sequence" data-testid={traceMarkers.sequenceRoot}>
      <svg width={layout.width} height={layout.height} role="group" aria-label="Sequence diagram">
        <defs>
          {(['none', 'err', 'warn'] as const).map((tone) => (
            <marker
              key={tone}
              id={`${markerId}-${tone}`}
              viewBox="0 0 8 8"
              refX="7.5"
              refY="4"
              markerWidth="11"
              markerHeight="11"
              markerUnits="userSpaceOnUse"
              orient="auto"
            >
              <path d="M0,0.5 L8,4 L0,7.5 z" className={`fs-sq-arrowhead is-${tone}`} />
            </marker>
          ))}
        </defs>
        <text className="fs-sq-gutter-title" x={SEQUENCE.gutter - 12} y={SEQUENCE.top + 19} textAnchor="end">
          time
        </text>
        {layout.participants.map((p) => (
          <g key={p.id} className="fs-sq-participant" data-testid={traceMarkers.participant} data-participant={p.id}>
            <line x1={p.x} x2={p.x} y1={layout.lifelineTop} y2={layout.lifelineBottom} className="fs-sq-lifeline" />
            <rect x={p.x - p.boxWidth / 2} y={SEQUENCE.top} width={p.boxWidth} height={SEQUENCE.boxHeight} rx={6} />
            <text x={p.x} y={SEQUENCE.top + 19} textAnchor="middle">
              {p.label}
            </text>
          </g>
        ))}
        {layout.arrows.map((a) => (
          <Arrow
            key={a.eventId}
            a={a}
            width={layout.width}
            eventType={byId.get(a.eventId)?.type}
            anomalies={anomalyText(a.eventId)}
            selected={a.eventId === selectedId}
            tabStop={a.eventId === tabStop}
            markerId={markerId}
            onSelect={onSelect}
          />
        ))}
      </svg>
    </div>
  );
}
