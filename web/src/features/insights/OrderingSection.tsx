import type { OrderingStat } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatCount } from '../../lib/format';
import { tracePath } from '../../lib/routes';
import { InsightSection } from './InsightSection';
import { insightsMarkers } from './insights.markers';
import { SeverityLabel } from './SeverityLabel';

const EMPTY = {
  title: 'No ordering checked yet',
  text: 'Each event of an entity (the same key) on a channel is compared with the one before it: by a version or sequence field when the payload has one, else by its timestamp. Channels show here once an entity has had two events.',
};

const MAX_EXAMPLES = 5;

const basisText = (basis: string) => (basis === 'timestamp' ? 'timestamps' : basis);

function Examples({ stat }: { stat: OrderingStat }) {
  if (stat.examples.length === 0) return <span className="fs-muted">—</span>;
  return (
    <ul className="fs-insights__examples">
      {stat.examples.slice(0, MAX_EXAMPLES).map((e) => (
        <li key={e.eventId}>
          <Link
            to={tracePath(e.eventId)}
            data-testid={insightsMarkers.evidence}
            data-event-id={e.eventId}
            title={`Open the flow of event ${e.eventId}`}
          >
            {e.entity}
          </Link>
          <span className="fs-muted">
            {' '}
            {stat.basis} {e.value} arrived after {e.after}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Per channel (and partition): what order was judged by, how many events were compared, how many arrived out of order. */
export function OrderingSection({ rows }: { rows: readonly OrderingStat[] }) {
  return (
    <InsightSection
      id="ordering"
      title="Ordering"
      intro="Events of one entity that arrived after a later one of the same entity."
      empty={rows.length === 0 ? EMPTY : null}
    >
      <div className="fs-insights__scroll">
        <table className="fs-insights__table">
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col" className="fs-num">
                Partition
              </th>
              <th scope="col">Judged by</th>
              <th scope="col" className="fs-num">
                Checked
              </th>
              <th scope="col" className="fs-num">
                Reordered
              </th>
              <th scope="col">Examples</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.channel}\u0000${r.partition ?? ''}`}
                data-testid={insightsMarkers.orderingRow}
                data-channel={r.channel}
                data-partition={r.partition}
                data-basis={r.basis}
              >
                <th scope="row">
                  <span className="fs-pill-inline">{r.channel}</span>
                </th>
                <td className="fs-num">{r.partition ?? <span className="fs-muted">—</span>}</td>
                <td className="fs-mono">{basisText(r.basis)}</td>
                <td className="fs-num">{formatCount(r.checked)}</td>
                <td className="fs-num">
                  {r.reordered > 0 ? (
                    <SeverityLabel severity="warning" text={`${formatCount(r.reordered)} reordered`} />
                  ) : (
                    <span className="fs-verdict-ok">
                      <span aria-hidden="true">✓ </span>in order
                    </span>
                  )}
                </td>
                <td>
                  <Examples stat={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </InsightSection>
  );
}
