import type { InsightsResponse } from '@flowscope/shared';
import { describeError } from '../../lib/api';
import { formatClock } from '../../lib/format';
import type { InsightsSection } from '../../lib/routes';
import { useInsights } from '../../lib/useInsights';
import { ConsistencySection } from './ConsistencySection';
import { DeadLettersSection } from './DeadLettersSection';
import { FindingsSection } from './FindingsSection';
import { IdempotencySection } from './IdempotencySection';
import { insightsMarkers } from './insights.markers';
import { OrderingSection } from './OrderingSection';
import { SchemaSection } from './SchemaSection';
import { SemanticsSection } from './SemanticsSection';
import { useScrollToHash } from './useScrollToHash';
import './insights.css';

const CONTENTS: readonly (readonly [InsightsSection, string, (d: InsightsResponse) => number])[] = [
  ['findings', 'Findings', (d) => d.findings.length],
  ['idempotency', 'Idempotency', (d) => d.idempotency.length],
  ['consistency', 'Consistency', (d) => d.consistency.kinds.length + d.consistency.consumers.length],
  ['ordering', 'Ordering', (d) => d.ordering.length],
  ['schema', 'Schema changes', (d) => d.schemaChanges.length],
  ['semantics', 'Event or command', (d) => d.semantics.length],
  ['dead-letters', 'Dead letters', (d) => d.deadLetters.length],
];

/** Links to every section, with how many entries each has. */
function Contents({ data }: { data: InsightsResponse }) {
  return (
    <nav className="fs-insights__contents" aria-label="Sections">
      <ul>
        {CONTENTS.map(([id, label, count]) => (
          <li key={id}>
            <a href={`#${id}`}>
              {label} <span className="fs-insights__count">{count(data)}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Sections({ data }: { data: InsightsResponse }) {
  return (
    <>
      <FindingsSection findings={data.findings} />
      <IdempotencySection rows={data.idempotency} />
      <ConsistencySection kinds={data.consistency.kinds} consumers={data.consistency.consumers} />
      <OrderingSection rows={data.ordering} />
      <SchemaSection changes={data.schemaChanges} />
      <SemanticsSection rows={data.semantics} />
      <DeadLettersSection stats={data.deadLetters} />
    </>
  );
}

/** `/insights`: the hard parts of event-driven systems, measured from traffic, with what to look at first. */
export function InsightsView() {
  const insights = useInsights();
  const { data } = insights;
  useScrollToHash(data !== undefined);
  const failure = insights.isError ? describeError(insights.error) : null;

  return (
    <main className="fs-insights" data-testid={insightsMarkers.root}>
      <header className="fs-insights__head">
        <h1>Insights</h1>
        <p className="fs-muted">
          The hard parts of event-driven systems, measured from the traffic Flowscope sees: consumers that react twice
          to a redelivered message, how long until every consumer has caught up, events out of order, schema changes
          that break readers, and dead letters.
          {data && <> Updated {formatClock(data.generatedAt).slice(0, 8)}; refreshes every 5 s.</>}
        </p>
      </header>
      {insights.isPending && (
        <p className="fs-muted" role="status" data-testid={insightsMarkers.loading}>
          Measuring… loading insights.
        </p>
      )}
      {failure && (
        <div className="fs-panel-error fs-insights__error" role="alert" data-testid={insightsMarkers.error}>
          <p>Insights could not be loaded: {failure.message}</p>
          <p className="fs-muted">{failure.hint ?? 'It retries every few seconds; reload to try now.'}</p>
        </div>
      )}
      {data && (
        <>
          <Contents data={data} />
          <Sections data={data} />
        </>
      )}
    </main>
  );
}
