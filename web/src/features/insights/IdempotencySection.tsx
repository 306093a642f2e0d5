import type { ConsumerIdempotency } from '@flowscope/shared';
import { formatCount } from '../../lib/format';
import { EvidenceLinks } from './EvidenceLinks';
import { InsightSection } from './InsightSection';
import { insightsMarkers } from './insights.markers';
import { SeverityLabel } from './SeverityLabel';

const EMPTY = {
  title: 'No duplicates seen yet',
  text: 'Consumers are judged when a message is delivered twice (a redelivery, a retry, a replay): a consumer that reacts to both copies, producing its events twice, is not idempotent; one that reacts once is. Nothing was delivered twice so far.',
};

/** Per consumer and channel: duplicates it received, how many it reacted to twice, and the verdict. */
export function IdempotencySection({ rows }: { rows: readonly ConsumerIdempotency[] }) {
  return (
    <InsightSection
      id="idempotency"
      title="Consumer idempotency"
      intro="How each consumer treated messages it received more than once."
      empty={rows.length === 0 ? EMPTY : null}
    >
      <div className="fs-insights__scroll">
        <table className="fs-insights__table">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Channel</th>
              <th scope="col" className="fs-num">
                Duplicates received
              </th>
              <th scope="col" className="fs-num">
                Reacted twice
              </th>
              <th scope="col">Verdict</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.service}\u0000${r.channel}`}
                data-testid={insightsMarkers.idempotencyRow}
                data-service={r.service}
                data-channel={r.channel}
                data-verdict={r.verdict}
              >
                <th scope="row">
                  <span className="fs-service-tag">{r.service}</span>
                </th>
                <td>
                  <span className="fs-pill-inline">{r.channel}</span>
                </td>
                <td className="fs-num">{formatCount(r.duplicates)}</td>
                <td className="fs-num">{formatCount(r.reactedTwice)}</td>
                <td>
                  {r.verdict === 'not-idempotent' ? (
                    <SeverityLabel severity="alert" text="not idempotent" />
                  ) : (
                    <span className="fs-verdict-ok">
                      <span aria-hidden="true">✓ </span>idempotent
                    </span>
                  )}
                </td>
                <td>
                  <EvidenceLinks eventIds={r.evidence} what={`duplicates ${r.service} received`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </InsightSection>
  );
}
