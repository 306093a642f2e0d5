import type { CorrelationKey, FlowSummary } from '@flowscope/shared';
import { Link } from 'react-router';
import { exampleKeys, type Suggestion } from './suggestions';
import { traceMarkers } from './trace.markers';

const whatIsIt: Readonly<Record<string, string>> = {
  orderId: 'an order id',
  traceId: 'a trace id',
  correlationId: 'a correlation id',
};

function Example({ k, onSearch }: { k: CorrelationKey; onSearch: (q: string) => void }) {
  return (
    <li>
      <span className="fs-muted">{whatIsIt[k.name] ?? k.name}</span>{' '}
      <button
        type="button"
        className="fs-texample"
        data-testid={traceMarkers.searchExample}
        data-value={k.value}
        onClick={() => onSearch(k.value)}
      >
        {k.value}
      </button>
    </li>
  );
}

/** Nothing searched yet: what can be typed, with real examples from recent flows. */
export function SearchIntro({ recent, onSearch }: { recent: readonly FlowSummary[]; onSearch: (q: string) => void }) {
  const examples = exampleKeys(recent);
  return (
    <section className="fs-tintro" data-testid={traceMarkers.searchEmpty} aria-labelledby="trace-intro-title">
      <h2 id="trace-intro-title" className="fs-tintro__title">
        Type any key of a business transaction
      </h2>
      <ul className="fs-tintro__kinds">
        <li>
          <strong>Order id</strong> or any business key your events carry (<code>orderId</code>,{' '}
          <code>data.orderId</code>…)
        </li>
        <li>
          <strong>Trace id</strong> from W3C <code>traceparent</code> or B3 headers
        </li>
        <li>
          <strong>Correlation id</strong> from <code>correlation-id</code> headers or CloudEvents
        </li>
        <li>
          <strong>Event or message id</strong>: opens the flow that event belongs to
        </li>
      </ul>
      {examples.length > 0 ? (
        <div className="fs-tintro__examples">
          <span className="fs-tintro__label">Try one from the last few minutes:</span>
          <ul>
            {examples.map((k) => (
              <Example key={k.name} k={k} onSearch={onSearch} />
            ))}
          </ul>
        </div>
      ) : (
        <p className="fs-muted">No flows yet: examples appear here as soon as events arrive.</p>
      )}
      <p className="fs-tintro__foot fs-muted">
        Values match exactly. Press <kbd>/</kbd> to search, <kbd>↑</kbd> <kbd>↓</kbd> and <kbd>Enter</kbd> to pick a
        suggestion.
      </p>
    </section>
  );
}

type NoFlowFoundProps = Readonly<{ query: string; near: readonly Suggestion[]; onOpenFlow: (id: string) => void }>;

/** The search found nothing: say what was searched and what to try instead. */
export function NoFlowFound({ query, near, onOpenFlow }: NoFlowFoundProps) {
  return (
    <section className="fs-tnone" data-testid={traceMarkers.noFlowFound} role="status">
      <h2 className="fs-tnone__title">
        No flow found for <code>{query}</code>
      </h2>
      <p className="fs-muted">
        No retained flow carries this value as a key, and it is not the id of a retained event. Still watching: the flow
        appears here as soon as its events arrive.
      </p>
      <ul className="fs-tnone__tips">
        <li>
          Check the exact value: keys match exactly, including case and prefixes (<code>A-10012</code>, not{' '}
          <code>10012</code>).
        </li>
        <li>Try another key of the same transaction: its trace id, correlation id, or the id of one of its events.</li>
        <li>Flows are kept while they are recent; an older one may have been dropped.</li>
        <li>
          Check that such events arrive at all:{' '}
          <Link to={`/?${new URLSearchParams({ q: query }).toString()}`}>filter the live stream for it</Link>.
        </li>
      </ul>
      {near.length > 0 && (
        <div className="fs-tnone__near">
          <span className="fs-tintro__label">Recent flows with a similar key:</span>
          <ul>
            {near.map((s) => (
              <li key={s.flow.id}>
                <button type="button" className="fs-texample" onClick={() => onOpenFlow(s.flow.id)}>
                  {s.match ? s.match.value : s.flow.id}
                </button>{' '}
                <span className="fs-muted">
                  {s.flow.kind}
                  {s.match ? ` · ${s.match.name}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
