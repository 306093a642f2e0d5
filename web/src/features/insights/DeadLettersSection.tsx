import type { DeadLetterStat } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatCount } from '../../lib/format';
import { tracePath } from '../../lib/routes';
import { InsightSection } from './InsightSection';
import { insightsMarkers } from './insights.markers';

const EMPTY = {
  title: 'No dead letters',
  text: 'When a message lands on a dead-letter channel (a .dlq topic, a RabbitMQ dead-letter exchange, an SQS dead-letter queue), where it came from, who sent it, why it failed and whether it was sent back show here.',
};

function DeadLetterCard({ stat }: { stat: DeadLetterStat }) {
  return (
    <article className="fs-dlq" data-testid={insightsMarkers.deadLetters} data-channel={stat.channel}>
      <h3 className="fs-dlq__title">
        <span className="fs-pill-inline">{stat.channel}</span>
        <span>
          {formatCount(stat.count)} dead {stat.count === 1 ? 'letter' : 'letters'}
        </span>
        <span className="fs-muted">· {formatCount(stat.redriven)} redriven</span>
      </h3>
      <div className="fs-dlq__cols">
        <div>
          <h4>From</h4>
          <ul>
            {stat.sources.map((s) => (
              <li key={`${s.channel}\u0000${s.producer}`}>
                <span className="fs-pill-inline">{s.channel}</span> <span className="fs-muted">by</span>{' '}
                <span className="fs-service-tag">{s.producer}</span>{' '}
                <span className="fs-muted">×{formatCount(s.count)}</span>{' '}
                <Link
                  to={tracePath(s.eventId)}
                  data-testid={insightsMarkers.evidence}
                  data-event-id={s.eventId}
                  title={`Open the flow of event ${s.eventId}`}
                >
                  example
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h4>Why</h4>
          {stat.reasons.length === 0 ? (
            <p className="fs-muted">No reason given (no header or field says).</p>
          ) : (
            <ul>
              {stat.reasons.map((r) => (
                <li key={r.reason}>
                  {r.reason} <span className="fs-muted">×{formatCount(r.count)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </article>
  );
}

/** Per dead-letter channel: its sources with their producers, the reasons given, and how many went back. */
export function DeadLettersSection({ stats }: { stats: readonly DeadLetterStat[] }) {
  return (
    <InsightSection
      id="dead-letters"
      title="Dead letters"
      intro="Messages that could not be processed, where they came from and why."
      empty={stats.length === 0 ? EMPTY : null}
    >
      {stats.map((s) => (
        <DeadLetterCard key={s.channel} stat={s} />
      ))}
    </InsightSection>
  );
}
