import type { Flow, FlowEvent, Hop } from '@flowscope/shared';
import { formatLatency } from '../../lib/format';
import { anomaliesByEvent, hopsByTarget, severityOf, type StepSeverity } from './flowSteps';
import { UNKNOWN_PRODUCER, labelOf } from './timelineLayout';

/**
 * Pure layout of the sequence diagram. Participants are the services that produced events; each
 * event is one row: an arrow from the producer of its cause to its own producer (a loop when both
 * are the same service), labelled with the event type and channel. A flow's first event has no
 * cause: it is drawn as its producer publishing into the channel.
 */

export const SEQUENCE = {
  gutter: 78,
  top: 12,
  boxHeight: 30,
  rowHeight: 50,
  charWidth: 6.6,
  minSpacing: 180,
  maxSpacing: 300,
  selfLoop: 30,
  publishLength: 48,
  padRight: 40,
} as const;

type SequenceParticipant = Readonly<{ id: string; label: string; x: number; boxWidth: number }>;

type SequenceArrowKind = 'message' | 'self' | 'publish';

export type SequenceArrow = Readonly<{
  eventId: string;
  index: number;
  kind: SequenceArrowKind;
  /** The arrow's line. */
  y: number;
  fromX: number;
  toX: number;
  d: string;
  label: string;
  channel: string;
  labelX: number;
  labelY: number;
  labelAnchor: 'start' | 'middle';
  /** Latency from the cause (`+85 ms`); absent on the first event. */
  latency?: string;
  /** Time since the flow started, for the left gutter. */
  offset: string;
  inferred: boolean;
  severity: StepSeverity;
  /** Where the publish arrow ends, for the channel pill of a first event. */
  pillX?: number;
}>;

export type SequenceLayout = Readonly<{
  width: number;
  height: number;
  participants: readonly SequenceParticipant[];
  arrows: readonly SequenceArrow[];
  lifelineTop: number;
  lifelineBottom: number;
}>;

export type SequenceInput = Pick<Flow, 'events' | 'hops' | 'anomalies'>;

const producerOf = (e: FlowEvent) => e.producer ?? UNKNOWN_PRODUCER;
const textWidth = (text: string) => text.length * SEQUENCE.charWidth;
const arrowText = (e: FlowEvent) => `${labelOf(e)} @ ${e.channel}`;

/** A column per producing service, in order of first appearance, spaced for the longest label. */
function placeParticipants(events: readonly FlowEvent[]): { participants: SequenceParticipant[]; firstX: number } {
  const ids: string[] = [];
  for (const e of events) if (!ids.includes(producerOf(e))) ids.push(producerOf(e));
  // One spacing for all columns: wide enough for the longest label between neighbours.
  const widest = events.reduce((w, e) => Math.max(w, textWidth(arrowText(e))), 0);
  const boxWidths = ids.map((id) => Math.max(110, textWidth(id) + 24));
  const spacing = Math.min(
    SEQUENCE.maxSpacing,
    Math.max(SEQUENCE.minSpacing, widest + 36, ...boxWidths.map((w) => w + 24)),
  );
  const firstX = SEQUENCE.gutter + Math.max(...boxWidths, 0) / 2 + 12;
  const participants = ids.map((id, i) => ({ id, label: id, x: firstX + i * spacing, boxWidth: boxWidths[i] ?? 110 }));
  return { participants, firstX };
}

type ArrowCommon = Omit<SequenceArrow, 'kind' | 'fromX' | 'd' | 'labelX' | 'labelAnchor' | 'inferred'>;

/** An event with no known cause: a short arrow out of its producer, with the channel as a pill. */
function publishArrow(common: ArrowCommon, e: FlowEvent): { arrow: SequenceArrow; right: number } {
  const { toX, y } = common;
  const end = toX + SEQUENCE.publishLength;
  const right = Math.max(end + textWidth(e.channel) + 24, toX + 8 + textWidth(labelOf(e)));
  return {
    arrow: {
      ...common,
      kind: 'publish',
      fromX: toX,
      toX: end,
      d: `M ${toX} ${y} H ${end}`,
      labelX: toX + 8,
      labelAnchor: 'start',
      inferred: false,
      pillX: end,
    },
    right,
  };
}

/** An event caused by another: from the cause's producer to its own, or a loop when they are the same. */
function causedArrow(
  common: ArrowCommon,
  e: FlowEvent,
  fromX: number,
  hop: Hop,
): { arrow: SequenceArrow; right: number } {
  const { toX, y } = common;
  const latency = formatLatency(hop.latencyMs);
  if (fromX === toX) {
    const loop = toX + SEQUENCE.selfLoop;
    return {
      arrow: {
        ...common,
        kind: 'self',
        fromX,
        d: `M ${toX} ${y - 12} H ${loop} V ${y + 6} H ${toX}`,
        labelX: loop + 8,
        labelY: y - 2,
        labelAnchor: 'start',
        latency,
        inferred: hop.inferred,
      },
      right: loop + 8 + textWidth(arrowText(e)),
    };
  }
  return {
    arrow: {
      ...common,
      kind: 'message',
      fromX,
      d: `M ${fromX} ${y} H ${toX}`,
      labelX: (fromX + toX) / 2,
      labelAnchor: 'middle',
      latency,
      inferred: hop.inferred,
    },
    right: 0,
  };
}

export function layoutSequence(flow: SequenceInput): SequenceLayout {
  const { events } = flow;
  const byId = new Map(events.map((e) => [e.id, e]));
  const into = hopsByTarget(flow.hops);
  const kinds = anomaliesByEvent(flow.anomalies);
  const t0 = events.reduce((min, e) => Math.min(min, e.timestamp), events[0]?.timestamp ?? 0);
  const { participants, firstX } = placeParticipants(events);
  const xOf = new Map(participants.map((p) => [p.id, p.x]));

  let rightmost = participants.at(-1)?.x ?? firstX;
  const arrows: SequenceArrow[] = events.map((e, index) => {
    const y = SEQUENCE.top + SEQUENCE.boxHeight + 20 + index * SEQUENCE.rowHeight + SEQUENCE.rowHeight / 2;
    const common: ArrowCommon = {
      eventId: e.id,
      index,
      y,
      toX: xOf.get(producerOf(e)) ?? firstX,
      label: labelOf(e),
      channel: e.channel,
      offset: formatLatency(e.timestamp - t0),
      severity: severityOf(e, kinds.get(e.id)),
      labelY: y - 8,
    };
    const hop = into.get(e.id);
    const cause = hop ? byId.get(hop.from) : undefined;
    const { arrow, right } =
      hop && cause ? causedArrow(common, e, xOf.get(producerOf(cause)) ?? firstX, hop) : publishArrow(common, e);
    rightmost = Math.max(rightmost, right);
    return arrow;
  });

  const lifelineTop = SEQUENCE.top + SEQUENCE.boxHeight;
  const lifelineBottom = lifelineTop + 20 + events.length * SEQUENCE.rowHeight + 10;
  const lastBox = participants.at(-1);
  const width = Math.ceil(Math.max(rightmost, lastBox ? lastBox.x + lastBox.boxWidth / 2 : firstX) + SEQUENCE.padRight);
  return { width, height: lifelineBottom + 8, participants, arrows, lifelineTop, lifelineBottom };
}
