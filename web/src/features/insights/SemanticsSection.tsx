import type { TypeSemantics } from '@flowscope/shared';
import { formatCount } from '../../lib/format';
import { InsightSection } from './InsightSection';
import { insightsMarkers } from './insights.markers';

const EMPTY = {
  title: 'No event types seen yet',
  text: 'Once events arrive, each type is read for what it is: a fact (a past-tense name, order.placed) or a command (an imperative, ProcessOrder), carrying ids only (a notification) or the entity’s state.',
};

const NAMING: Readonly<Record<TypeSemantics['naming'], string>> = {
  fact: 'fact (past tense)',
  command: 'command (imperative)',
  unclear: 'unclear',
};

const PAYLOAD: Readonly<Record<TypeSemantics['payload'], string>> = {
  notification: 'notification (ids only)',
  state: 'state (carries the entity)',
  unknown: 'unknown',
};

/** What each event type's name and payload say it is: information for design reviews, not errors. */
export function SemanticsSection({ rows }: { rows: readonly TypeSemantics[] }) {
  return (
    <InsightSection
      id="semantics"
      title="Event or command"
      intro="Information, not errors: what each event type’s name and payload say it is."
      empty={rows.length === 0 ? EMPTY : null}
    >
      <div className="fs-insights__scroll">
        <table className="fs-insights__table">
          <thead>
            <tr>
              <th scope="col">Event type</th>
              <th scope="col">Channel</th>
              <th scope="col">Name says</th>
              <th scope="col">Payload</th>
              <th scope="col" className="fs-num">
                Consumers
              </th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.channel}\u0000${r.type}`}
                data-testid={insightsMarkers.semanticsRow}
                data-type={r.type}
                data-naming={r.naming}
                data-payload={r.payload}
              >
                <th scope="row" className="fs-mono">
                  {r.type}
                </th>
                <td>
                  <span className="fs-pill-inline">{r.channel}</span>
                </td>
                <td>{NAMING[r.naming]}</td>
                <td>{PAYLOAD[r.payload]}</td>
                <td className="fs-num">{formatCount(r.consumers)}</td>
                <td>{r.note ?? <span className="fs-muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </InsightSection>
  );
}
