import { formatCount, formatRate } from '../../lib/format';
import { noteFullText, noteHeadline } from '../annotations';
import { mapMarkers } from './map.markers';
import type { NodeNote } from './nodeNote';

type NodeBodyProps = Readonly<{ name: string; rate: number; count: number; unit: string; note?: NodeNote | undefined }>;

/** Name and live figures shared by service and channel nodes, and a line for someone's note on the node. */
export function NodeBody({ name, rate, count, unit, note }: NodeBodyProps) {
  return (
    <span className={`fs-node__body${note ? ' has-note' : ''}`}>
      <span className="fs-node__name" title={name}>
        {name}
      </span>
      <span className="fs-node__stats">
        <span className="fs-node__rate">{formatRate(rate)}</span>
        <span aria-hidden="true">·</span>
        <span>
          {formatCount(count)} {unit}
        </span>
      </span>
      {note && (
        <span className="fs-node__note" data-testid={mapMarkers.nodeNote} title={`Note: ${noteFullText(note)}`}>
          <span className="fs-node__note-mark" aria-hidden="true" />
          <span className="fs-node__note-text">{noteHeadline(note)}</span>
        </span>
      )}
    </span>
  );
}

/** What the node's accessible label says about its note (empty without one). */
export const noteLabel = (note: NodeNote | undefined) => (note ? ` Note: ${noteFullText(note)}.` : '');

/** Ids of the nodes a bounded map groups the quietest services and channels into. */
const OTHERS_PREFIX = 'others:';
/** Whether the node stands for many (a bounded map's "1,234 other services"): no one name to filter by. */
export const groupedNode = (id: string) => id.startsWith(OTHERS_PREFIX);
