import { describeError } from '../../lib/api';
import { useNow } from '../../lib/useNow';
import { FlowResultItem } from './FlowResultItem';
import { useFlowSearch, useRecentFlows } from './queries';
import { NoFlowFound, SearchIntro } from './SearchStates';
import { suggestFlows } from './suggestions';
import { traceMarkers } from './trace.markers';
import { TraceSearchBox } from './TraceSearchBox';
import type { TraceParams } from './useTraceParams';

const RECENT_SHOWN = 12;

function Results({ query, params, now }: { query: string; params: TraceParams; now: number }) {
  const results = useFlowSearch(query);
  const recent = useRecentFlows();
  if (results.isPending) return <p className="fs-muted fs-tsearch-page__status">Searching…</p>;
  if (results.isError) {
    const { message, hint } = describeError(results.error);
    return (
      <div className="fs-tsearch-page__status" role="alert" data-testid={traceMarkers.searchError}>
        <p className="fs-warning">{message}</p>
        {hint && <p className="fs-muted">{hint}</p>}
      </div>
    );
  }
  if (results.data.length === 0)
    return <NoFlowFound query={query} near={suggestFlows(recent.data ?? [], query, 5)} onOpenFlow={params.openFlow} />;
  const n = results.data.length;
  return (
    <section aria-labelledby="trace-results-title">
      <h2 id="trace-results-title" className="fs-panel-title fs-tsearch-page__heading">
        {n} flow{n === 1 ? '' : 's'} with <code>{query}</code>
      </h2>
      <ul className="fs-tresults" data-testid={traceMarkers.results}>
        {results.data.map((f) => (
          <FlowResultItem key={f.id} flow={f} now={now} />
        ))}
      </ul>
    </section>
  );
}

function Recent({ params, now }: { params: TraceParams; now: number }) {
  const recent = useRecentFlows();
  const flows = recent.data ?? [];
  return (
    <>
      <SearchIntro recent={flows} onSearch={params.search} />
      {flows.length > 0 && (
        <section aria-labelledby="trace-recent-title">
          <h2 id="trace-recent-title" className="fs-panel-title fs-tsearch-page__heading">
            Recently active flows
          </h2>
          <ul className="fs-tresults">
            {flows.slice(0, RECENT_SHOWN).map((f) => (
              <FlowResultItem key={f.id} flow={f} now={now} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** `/trace`: find a flow by any of its keys. */
export function TraceSearchPage({ params }: { params: TraceParams }) {
  const now = useNow(5_000);
  return (
    <main className="fs-tsearch-page" data-testid={traceMarkers.searchPage}>
      <div className="fs-tsearch-page__inner">
        <header className="fs-tsearch-page__head">
          <h1>Trace a flow</h1>
          <p className="fs-muted">Follow one business transaction across services and brokers, step by step.</p>
        </header>
        <TraceSearchBox
          key={params.query}
          initialQuery={params.query}
          onSubmit={params.search}
          onOpenFlow={params.openFlow}
          autoFocus
        />
        {params.query ? (
          <Results query={params.query} params={params} now={now} />
        ) : (
          <Recent params={params} now={now} />
        )}
      </div>
    </main>
  );
}
