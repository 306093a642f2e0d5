import { isoTime } from '@flowscope/shared';
import type { SchemaChange } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatClock } from '../../lib/format';
import { tracePath } from '../../lib/routes';
import { InsightSection } from './InsightSection';
import { insightsMarkers } from './insights.markers';
import { SeverityLabel } from './SeverityLabel';

const EMPTY = {
  title: 'No schema changes seen',
  text: 'Flowscope infers the payload schema of every event type. When a field appears, goes missing or changes its type, the change shows here with whether old readers can still read the new data (forward) and new readers the old data (backward), and which consumers a breaking change may break.',
};

const yesNo = (ok: boolean) => (ok ? 'yes' : 'no');

/** Breaking changes first, then the newest. */
const ranked = (changes: readonly SchemaChange[]) =>
  [...changes].sort((a, b) => Number(b.breaking) - Number(a.breaking) || b.at - a.at);

function Compatibility({ change }: { change: SchemaChange }) {
  return (
    <div className="fs-compat">
      {change.breaking ? (
        <SeverityLabel severity="alert" text="breaking" />
      ) : (
        <span className="fs-verdict-ok">
          <span aria-hidden="true">✓ </span>compatible
        </span>
      )}
      <span className="fs-muted fs-compat__ways">
        <span title="Old readers can read the new data">forward: {yesNo(change.forward)}</span>
        {' · '}
        <span title="New readers can read the old data">backward: {yesNo(change.backward)}</span>
      </span>
    </div>
  );
}

function ChangeRow({ change: c }: { change: SchemaChange }) {
  return (
    <tr
      data-testid={insightsMarkers.schemaRow}
      data-channel={c.channel}
      data-type={c.type}
      data-path={c.path}
      data-kind={c.kind}
      data-breaking={c.breaking}
      className={c.breaking ? 'is-breaking' : undefined}
    >
      <th scope="row" className="fs-mono">
        {c.type}
        <div>
          <span className="fs-pill-inline">{c.channel}</span>
        </div>
      </th>
      <td>
        <code>{c.path}</code>
      </td>
      <td>
        {c.change}
        <div className="fs-muted" title={isoTime(c.at)}>
          at {formatClock(c.at).slice(0, 8)}
        </div>
      </td>
      <td>
        <Compatibility change={c} />
      </td>
      <td>{c.producer ? <span className="fs-service-tag">{c.producer}</span> : <span className="fs-muted">—</span>}</td>
      <td>
        {c.consumers.length === 0 ? (
          <span className="fs-muted">none seen</span>
        ) : (
          <span className="fs-insights__tags">
            {c.consumers.map((s) => (
              <span key={s} className="fs-service-tag">
                {s}
              </span>
            ))}
          </span>
        )}
      </td>
      <td>
        {c.eventId ? (
          <Link
            to={tracePath(c.eventId)}
            data-testid={insightsMarkers.evidence}
            data-event-id={c.eventId}
            title={`Open the flow of event ${c.eventId}`}
          >
            open
          </Link>
        ) : (
          <span className="fs-muted">—</span>
        )}
      </td>
    </tr>
  );
}

/** Changes of event types' payload schemas, judged for the consumers that read them. */
export function SchemaSection({ changes }: { changes: readonly SchemaChange[] }) {
  return (
    <InsightSection
      id="schema"
      title="Schema changes"
      intro="Payload changes of event types, and whether their readers can cope."
      empty={changes.length === 0 ? EMPTY : null}
    >
      <div className="fs-insights__scroll">
        <table className="fs-insights__table">
          <thead>
            <tr>
              <th scope="col">Event type</th>
              <th scope="col">Field</th>
              <th scope="col">Change</th>
              <th scope="col">Compatibility</th>
              <th scope="col">Producer</th>
              <th scope="col">Consumers that may break</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {ranked(changes).map((c, i) => (
              <ChangeRow key={`${c.channel}\u0000${c.type}\u0000${c.path}\u0000${c.at}\u0000${i}`} change={c} />
            ))}
          </tbody>
        </table>
      </div>
    </InsightSection>
  );
}
