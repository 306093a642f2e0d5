import { Link } from 'react-router';
import { tracePath } from '../../lib/routes';
import { insightsMarkers } from './insights.markers';

/**
 * An event id, short: without its source, and a long last part (a UUID) cut to 8 characters
 * (`demo/shop/shipments/c95de475-07a3-…` → `shipments/c95de475…`). The whole id is in the title.
 */
export const shortEventId = (eventId: string) => {
  const parts = eventId.split('/');
  const rest = parts.length > 2 ? parts.slice(2) : parts;
  const last = rest[rest.length - 1] ?? '';
  if (last.length > 12) rest[rest.length - 1] = `${last.slice(0, 8)}…`;
  return rest.join('/');
};

type EvidenceLinksProps = Readonly<{ eventIds: readonly string[]; max?: number; what?: string }>;

/** Links to the flows of up to `max` evidence events, each opening the trace view; the rest counted. */
export function EvidenceLinks({ eventIds, max = 5, what = 'evidence' }: EvidenceLinksProps) {
  if (eventIds.length === 0) return <span className="fs-muted">none kept</span>;
  const shown = eventIds.slice(0, max);
  const more = eventIds.length - shown.length;
  return (
    <ul className="fs-insights__evidence" aria-label={`Flows showing the ${what}`}>
      {shown.map((id) => (
        <li key={id}>
          <Link
            to={tracePath(id)}
            data-testid={insightsMarkers.evidence}
            data-event-id={id}
            title={`Open the flow of event ${id}`}
          >
            {shortEventId(id)}
          </Link>
        </li>
      ))}
      {more > 0 && <li className="fs-muted">and {more} more</li>}
    </ul>
  );
}
