import { isoTime } from '@flowscope/shared';
import type { FlowEvent } from '@flowscope/shared';
import { memo, type CSSProperties } from 'react';
import { formatBytes, formatClock, formatCount, formatKey, payloadPreview } from '../../lib/format';
import type { StreamGap } from '../../stores/liveStore';
import { streamMarkers } from './stream.markers';

export const ROW_HEIGHT = 30;

export const rowDomId = (key: string) => `stream-row-${key.replace(/[^\w-]/g, '_')}`;

type EventRowProps = Readonly<{
  event: FlowEvent;
  domId: string;
  style: CSSProperties;
  index: number;
  total: number;
  cursor: boolean;
  open: boolean;
  /** A class for rows singled out (the flow a breakpoint stopped in). */
  marked?: string | undefined;
  onSelect: (id: string) => void;
}>;

/** The cells of an event: they depend on the event alone, so rows that only moved down are not rendered again. */
const EventCells = memo(function EventCells({ event }: { event: FlowEvent }) {
  const key = formatKey(event.key);
  const preview = payloadPreview(event.payload);
  const quiet = event.payload.encoding === 'binary' || event.payload.encoding === 'empty';
  return (
    <>
      <span className="fs-row__time" title={isoTime(event.timestamp)}>
        {formatClock(event.timestamp)}
      </span>
      <span className="fs-row__channel" title={event.channel}>
        {event.channel}
      </span>
      <span className="fs-row__type" title={event.type}>
        {event.type ?? '—'}
      </span>
      <span className="fs-row__producer" title={event.producer}>
        {event.producer ?? '—'}
      </span>
      <span className={`fs-row__key${key ? '' : ' is-quiet'}`} title={key || 'no key'}>
        {key || '—'}
      </span>
      <span className="fs-row__size">{formatBytes(event.payload.size)}</span>
      <span className={`fs-row__preview${quiet ? ' is-quiet' : ''}`}>{preview}</span>
    </>
  );
});

function EventRowView({ event, domId, style, index, total, cursor, open, marked, onSelect }: EventRowProps) {
  return (
    <div
      id={domId}
      role="option"
      aria-selected={cursor}
      aria-posinset={index + 1}
      aria-setsize={total}
      className={`fs-row${cursor ? ' is-cursor' : ''}${open ? ' is-open' : ''}${marked ? ` ${marked}` : ''}`}
      style={style}
      data-testid={streamMarkers.row}
      data-event-id={event.id}
      onClick={() => onSelect(event.id)}
    >
      <EventCells event={event} />
    </div>
  );
}

export const EventRow = memo(EventRowView);

type GapRowProps = Readonly<{ gap: StreamGap; domId: string; style: CSSProperties; index: number; total: number }>;

function GapRowView({ gap, domId, style, index, total }: GapRowProps) {
  const events = `${formatCount(gap.skipped)} event${gap.skipped === 1 ? '' : 's'}`;
  const text =
    gap.cause === 'server-restarted'
      ? 'The server restarted; events from before the restart may be missing'
      : gap.cause === 'untested'
        ? `${events} not shown: the filter used up its work for this moment before testing them (simplify it)`
        : `${events} skipped (no longer buffered on the server)`;
  return (
    <div
      id={domId}
      role="option"
      aria-selected={false}
      aria-disabled="true"
      aria-posinset={index + 1}
      aria-setsize={total}
      className="fs-row fs-row--gap"
      style={style}
      data-testid={streamMarkers.gapRow}
    >
      <span className="fs-row__time">{formatClock(gap.at)}</span>
      <span className="fs-row__gap-text">{text}</span>
    </div>
  );
}

export const GapRow = memo(GapRowView);
