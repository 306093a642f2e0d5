import { isDeadLettered, type AnomalyKind, type Flow, type FlowEvent } from '@flowscope/shared';
import { formatDuration, formatLatency } from '../../lib/format';
import { anomaliesByEvent, severityOf, type StepSeverity } from './flowSteps';
import { boxOf, overlaps, type Box, type Spot } from './labelBoxes';

/**
 * Pure layout of the trace timeline: lanes (one per service or channel), a mark per event placed
 * in time, connectors for hops and a time axis. Everything is in SVG pixels; the component only
 * draws. Labels never overlap inside a lane: a mark whose label would collide drops to a new row.
 */

export type LaneMode = 'service' | 'channel';

export const TIMELINE = {
  axisHeight: 30,
  lanePadTop: 20,
  lanePadBottom: 10,
  rowHeight: 42,
  markRadius: 7,
  /** Baseline of a type label below its mark. */
  labelDy: 20,
  charWidth: 6.6,
  /** Hop labels are small monospace text. */
  hopCharWidth: 6.4,
  labelGap: 14,
  minPad: 28,
  minScale: 1e-6,
  maxScale: 40,
  /** Wanted distance between axis ticks, in px. */
  tickSpacing: 110,
} as const;

export const UNKNOWN_PRODUCER = '(unknown producer)';

type TimelineLane = Readonly<{
  id: string;
  label: string;
  y: number;
  height: number;
  rows: number;
  /** A dead-letter channel (lanes per channel), drawn as such. */
  deadLetter: boolean;
  unknown: boolean;
}>;

export type TimelineMark = Readonly<{
  eventId: string;
  /** Position in flow order. */
  index: number;
  laneId: string;
  row: number;
  x: number;
  y: number;
  label: string;
  labelY: number;
  offsetMs: number;
  severity: StepSeverity;
  anomalies: readonly AnomalyKind[];
}>;

type TimelineHop = Readonly<{
  from: string;
  to: string;
  d: string;
  labelX: number;
  labelY: number;
  labelAnchor: 'start' | 'middle' | 'end';
  /** False when no spot near the connector is free; the latency is still in the tooltip. */
  labelShown: boolean;
  label: string;
  latencyMs: number;
  inferred: boolean;
}>;

type TimelineTick = Readonly<{ x: number; label: string }>;

export type TimelineLayout = Readonly<{
  width: number;
  height: number;
  pxPerMs: number;
  spanMs: number;
  t0: number;
  lanes: readonly TimelineLane[];
  marks: readonly TimelineMark[];
  hops: readonly TimelineHop[];
  ticks: readonly TimelineTick[];
}>;

export type TimelineInput = Pick<Flow, 'events' | 'hops' | 'anomalies'>;

const originOf = (e: FlowEvent) => `${e.source.broker} ${e.source.cluster}`;

/**
 * The lane of an event: its producer, or its channel. A channel name used on two brokers in one
 * flow (an `orders` topic and an `orders` stream) gets a lane per broker, named with it.
 */
function laneKeys(events: readonly FlowEvent[], mode: LaneMode): (e: FlowEvent) => string {
  if (mode === 'service') return (e) => e.producer ?? UNKNOWN_PRODUCER;
  const origins = new Map<string, Set<string>>();
  for (const e of events) origins.set(e.channel, (origins.get(e.channel) ?? new Set()).add(originOf(e)));
  return (e) => ((origins.get(e.channel)?.size ?? 0) > 1 ? `${e.channel} · ${originOf(e)}` : e.channel);
}

/** Longest type label drawn under a mark: a type can be 256 characters, which spread the timeline past any screen. */
const MAX_LABEL = 48;
export const labelOf = (e: FlowEvent) => {
  const type = e.type ?? '(untyped)';
  return type.length > MAX_LABEL ? `${type.slice(0, MAX_LABEL - 1)}…` : type;
};

const labelWidth = (text: string) => text.length * TIMELINE.charWidth;

/** Time range and side padding (wide enough for the first and last labels); independent of zoom. */
export function timelineExtent(events: readonly FlowEvent[]) {
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  let widest = 0;
  for (const e of events) {
    t0 = Math.min(t0, e.timestamp);
    t1 = Math.max(t1, e.timestamp);
    widest = Math.max(widest, labelWidth(labelOf(e)));
  }
  if (events.length === 0) t0 = t1 = 0;
  const pad = Math.max(TIMELINE.minPad, Math.ceil(widest / 2) + 8);
  return { t0, spanMs: t1 - t0, padLeft: pad, padRight: pad };
}

const clampScale = (pxPerMs: number) => Math.min(TIMELINE.maxScale, Math.max(TIMELINE.minScale, pxPerMs));

/** The scale that shows the whole flow in `width` px. A flow of one instant gets 1 px/ms. */
export function fitScale(events: readonly FlowEvent[], width: number): number {
  const { spanMs, padLeft, padRight } = timelineExtent(events);
  if (spanMs <= 0) return 1;
  return clampScale(Math.max(1, width - padLeft - padRight) / spanMs);
}

/**
 * Zoom by `factor` keeping the time under `anchorPx` (a viewport x, e.g. the pointer) in place.
 * Returns the new scale and the scroll offset that keeps it there.
 */
export function zoomAt(
  o: Readonly<{ pxPerMs: number; factor: number; scrollLeft: number; anchorPx: number; padLeft: number }>,
): { pxPerMs: number; scrollLeft: number } {
  const pxPerMs = clampScale(o.pxPerMs * o.factor);
  const timeAtAnchor = (o.scrollLeft + o.anchorPx - o.padLeft) / o.pxPerMs;
  const scrollLeft = Math.max(0, o.padLeft + timeAtAnchor * pxPerMs - o.anchorPx);
  return { pxPerMs, scrollLeft };
}

const NICE = [1, 2, 5];

/** A round tick step (1, 2, 5 × 10ⁿ ms) at least `spacing` px apart. */
export function tickStep(pxPerMs: number, spacing: number = TIMELINE.tickSpacing): number {
  const raw = spacing / pxPerMs;
  let pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (;;) {
    for (const n of NICE) if (n * pow >= raw) return Math.max(1, n * pow);
    pow *= 10;
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

type Member = { e: FlowEvent; index: number; x: number };

/** Lanes in order of first appearance; rows per lane by greedy label packing; a mark per event. */
function placeLanes(
  flow: TimelineInput,
  mode: LaneMode,
  xOf: (ts: number) => number,
  t0: number,
): { lanes: TimelineLane[]; marks: TimelineMark[]; bottom: number } {
  const kinds = anomaliesByEvent(flow.anomalies);
  const laneIds: string[] = [];
  const members = new Map<string, Member[]>();
  const laneOf = laneKeys(flow.events, mode);
  flow.events.forEach((e, index) => {
    const id = laneOf(e);
    if (!members.has(id)) {
      laneIds.push(id);
      members.set(id, []);
    }
    members.get(id)?.push({ e, index, x: xOf(e.timestamp) });
  });

  const lanes: TimelineLane[] = [];
  const marks: TimelineMark[] = [];
  let y = TIMELINE.axisHeight;
  for (const id of laneIds) {
    const list = [...(members.get(id) ?? [])].sort((a, b) => a.x - b.x || a.index - b.index);
    const rowEnds: number[] = [];
    const placed = list.map((m) => {
      const half = labelWidth(labelOf(m.e)) / 2;
      let row = rowEnds.findIndex((end) => end + TIMELINE.labelGap <= m.x - half);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = m.x + half;
      return { ...m, row };
    });
    const rows = Math.max(1, rowEnds.length);
    const height = TIMELINE.lanePadTop + rows * TIMELINE.rowHeight + TIMELINE.lanePadBottom;
    for (const m of placed) {
      const markY = y + TIMELINE.lanePadTop + m.row * TIMELINE.rowHeight + TIMELINE.markRadius;
      const k = kinds.get(m.e.id) ?? [];
      marks.push({
        eventId: m.e.id,
        index: m.index,
        laneId: id,
        row: m.row,
        x: m.x,
        y: markY,
        label: labelOf(m.e),
        labelY: markY + TIMELINE.labelDy,
        offsetMs: m.e.timestamp - t0,
        severity: severityOf(m.e, k),
        anomalies: k,
      });
    }
    lanes.push({
      id,
      label: id,
      y,
      height,
      rows,
      deadLetter: mode === 'channel' && isDeadLettered({ channel: list[0]?.e.channel ?? id, headers: {} }),
      unknown: mode === 'service' && id === UNKNOWN_PRODUCER,
    });
    y += height;
  }
  marks.sort((a, b) => a.index - b.index);
  return { lanes, marks, bottom: y };
}

/** The curve of a hop from mark `a` to mark `b`, and the spots where its label may go, best first. */
function hopCurve(a: TimelineMark, b: TimelineMark): { d: string; candidates: Spot[] } {
  const r = TIMELINE.markRadius;
  if (a.y === b.y) {
    // Same row: an arc over the lane, labelled at its top.
    const lift = Math.min(26, 10 + Math.abs(b.x - a.x) / 6);
    const mx = round((a.x + b.x) / 2);
    const top = round(a.y - r - lift - 4);
    return {
      d: `M ${a.x} ${a.y - r} Q ${mx} ${round(a.y - r - lift * 2)} ${b.x} ${b.y - r}`,
      candidates: [
        { x: mx, y: top, anchor: 'middle' },
        { x: mx, y: top - 11, anchor: 'middle' },
      ],
    };
  }
  // Across rows or lanes: leave the mark sideways, enter the next one from above or below.
  const down = b.y > a.y;
  const sx = a.x + r;
  const ey = down ? b.y - r : b.y + r;
  const bend = Math.max(18, Math.abs(ey - a.y) / 2);
  const c1x = sx + Math.max(12, Math.min(40, Math.abs(b.x - a.x) / 2));
  const c2y = down ? ey - bend : ey + bend;
  // Bezier midpoint (P0 + 3P1 + 3P2 + P3) / 8.
  const mx = round((sx + 3 * c1x + 4 * b.x) / 8);
  const my = round((4 * a.y + 3 * c2y + ey) / 8);
  return {
    d: `M ${sx} ${a.y} C ${round(c1x)} ${a.y} ${b.x} ${round(c2y)} ${b.x} ${ey}`,
    candidates: [
      { x: mx + 6, y: my + 3, anchor: 'start' },
      { x: mx - 6, y: my + 3, anchor: 'end' },
      { x: mx + 6, y: my - 9, anchor: 'start' },
      { x: mx + 6, y: my + 15, anchor: 'start' },
      { x: b.x + 6, y: round(ey + (down ? -8 : 16)), anchor: 'start' },
      // Beside the mark it arrives at.
      { x: b.x + r + 12, y: b.y + 4, anchor: 'start' },
      { x: b.x - r - 6, y: b.y + 4, anchor: 'end' },
    ],
  };
}

/** Hops between marks, each label where nothing else is: not on a mark, its label, or another hop label. */
function placeHops(flowHops: TimelineInput['hops'], marks: readonly TimelineMark[]): TimelineHop[] {
  const byId = new Map(marks.map((m) => [m.eventId, m]));
  const r = TIMELINE.markRadius;
  const taken: Box[] = marks.flatMap((m) => {
    const half = labelWidth(m.label) / 2;
    return [
      { x0: m.x - r - 3, y0: m.y - r - 3, x1: m.x + r + 9, y1: m.y + r + 1 },
      { x0: m.x - half, y0: m.labelY - 10, x1: m.x + half, y1: m.labelY + 3 },
    ];
  });
  const hops: TimelineHop[] = [];
  for (const h of flowHops) {
    const a = byId.get(h.from);
    const b = byId.get(h.to);
    if (!a || !b) continue;
    const label = formatLatency(h.latencyMs);
    const { d, candidates } = hopCurve(a, b);
    const w = label.length * TIMELINE.hopCharWidth;
    const spot = candidates.find((c) => !taken.some((t) => overlaps(t, boxOf(c, w))));
    if (spot) taken.push(boxOf(spot, w));
    const shown = spot ?? (candidates[0] as Spot);
    hops.push({
      from: h.from,
      to: h.to,
      label,
      latencyMs: h.latencyMs,
      inferred: h.inferred,
      d,
      labelX: shown.x,
      labelY: shown.y,
      labelAnchor: shown.anchor,
      labelShown: !!spot,
    });
  }
  return hops;
}

/** Time ticks from the flow's start, as many as fit with their labels. */
function timeTicks(padLeft: number, scale: number, width: number): TimelineTick[] {
  const step = tickStep(scale);
  const ticks: TimelineTick[] = [];
  for (let t = 0; ticks.length < 500; t += step) {
    const label = t === 0 ? '0' : formatDuration(t);
    // The label is drawn right of its line; it must fit.
    if (padLeft + t * scale + 4 + label.length * TIMELINE.hopCharWidth > width) break;
    ticks.push({ x: round(padLeft + t * scale), label });
  }
  return ticks;
}

export function layoutTimeline(flow: TimelineInput, mode: LaneMode, pxPerMs: number): TimelineLayout {
  const { t0, spanMs, padLeft, padRight } = timelineExtent(flow.events);
  const scale = clampScale(pxPerMs);
  const xOf = (ts: number) => round(padLeft + (ts - t0) * scale);
  const { lanes, marks, bottom } = placeLanes(flow, mode, xOf, t0);
  const hops = placeHops(flow.hops, marks);
  const width = Math.ceil(padLeft + spanMs * scale + padRight);
  const ticks = timeTicks(padLeft, scale, width);
  return { width, height: bottom + 6, pxPerMs: scale, spanMs, t0, lanes, marks, hops, ticks };
}
