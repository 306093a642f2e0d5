import type { FlowTemplate, KindWindow } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatCount, formatDuration } from '../../lib/format';
import { insightsPath, tourPath, TRACE_ROOT, tracePath } from '../../lib/routes';
import { AnnotationBlock, type Annotations, annotationTarget } from '../annotations';
import { ExportAnchor, kindExportLink } from '../export';
import { catalogMarkers } from './catalog.markers';
import type { KindExamples } from './queries';

const kindAnchor = (kind: string) => `kind-${kind}`;

function Example({ which, flowId, durationMs }: { which: 'typical' | 'slowest'; flowId: string; durationMs: number }) {
  return (
    <li className="fs-kind__example">
      <Link
        to={tracePath(flowId)}
        data-testid={catalogMarkers.exampleFlow}
        data-example={which}
        data-flow-id={flowId}
        title={`Open this ${which} flow in the trace view`}
      >
        {which === 'typical' ? 'Typical flow' : 'Slowest flow'} ({formatDuration(durationMs)})
      </Link>
      <Link
        className="fs-button fs-button--small"
        to={tourPath(flowId)}
        data-testid={catalogMarkers.exampleTour}
        data-example={which}
        data-flow-id={flowId}
      >
        Take the tour
      </Link>
    </li>
  );
}

/** A learned flow kind: its canonical path step by step with latencies, durations, notes and examples. */
export function KindCard({
  template,
  examples,
  examplesLoading,
  annotations,
  consistency,
}: {
  template: FlowTemplate;
  examples: KindExamples | undefined;
  examplesLoading: boolean;
  annotations: Annotations;
  /** The kind's consistency window from the insights, once measured. */
  consistency?: KindWindow | undefined;
}) {
  const { kind } = template;
  return (
    <article
      id={kindAnchor(kind)}
      className="fs-card fs-kind"
      data-testid={catalogMarkers.kind}
      data-kind={kind}
      tabIndex={-1}
      aria-labelledby={`${kindAnchor(kind)}-title`}
    >
      <header className="fs-card__head">
        <h3 id={`${kindAnchor(kind)}-title`} className="fs-card__title">
          <a href={`#${encodeURIComponent(kindAnchor(kind))}`} className="fs-card__anchor" title="Link to this kind">
            {kind}
          </a>
        </h3>
        <KindFacts template={template} consistency={consistency} />
        <ExportAnchor link={kindExportLink(kind)} />
      </header>
      <AnnotationBlock target={annotationTarget.kind(kind)} annotations={annotations} subject={`flow kind ${kind}`} />
      <KindSteps template={template} annotations={annotations} />
      <KindExampleFlows examples={examples} loading={examplesLoading} />
    </article>
  );
}

const share = (n: number, of: number) => `${Math.round((100 * n) / Math.max(1, of))}%`;

/** `type@channel` → [type, channel]; the type may itself contain `@`, the channel is after the last one. */
function splitStep(step: string): [string, string] {
  const at = step.lastIndexOf('@');
  return at < 0 ? [step, ''] : [step.slice(0, at), step.slice(at + 1)];
}

/** How many flows it was learned from, how long they take, how many fail, how long until all consumers reacted. */
function KindFacts({ template, consistency }: { template: FlowTemplate; consistency: KindWindow | undefined }) {
  const canonicalShare = template.samples > 0 ? Math.round((100 * template.canonicalCount) / template.samples) : 0;
  return (
    <dl className="fs-facts">
      <div>
        <dt>Learned from</dt>
        <dd>
          {formatCount(template.samples)} flows ({canonicalShare}% exactly this path)
        </dd>
      </div>
      <div>
        <dt>Duration p50</dt>
        <dd>{formatDuration(template.p50DurationMs)}</dd>
      </div>
      <div>
        <dt>p99</dt>
        <dd>{formatDuration(template.p99DurationMs)}</dd>
      </div>
      {template.settled !== undefined && template.settled > 0 && (
        <>
          <div>
            <dt>Failed</dt>
            <dd data-testid={catalogMarkers.kindFailureRate}>
              {share(template.failed ?? 0, template.settled)} of {formatCount(template.settled)}
            </dd>
          </div>
          <div>
            <dt>With anomalies</dt>
            <dd>{share(template.anomalous ?? 0, template.settled)}</dd>
          </div>
        </>
      )}
      {consistency && <ConsistencyFact window={consistency} />}
    </dl>
  );
}

/** The kind's consistency window: from its first event until its last consumer has reacted. */
function ConsistencyFact({ window: w }: { window: KindWindow }) {
  return (
    <div
      data-testid={catalogMarkers.kindConsistency}
      title={`From the first event until the last consumer has reacted, over ${formatCount(w.samples)} flows`}
    >
      <dt>
        <Link to={insightsPath('consistency')}>Consistent within</Link>
      </dt>
      <dd>
        p50 {formatDuration(w.p50Ms)} · p95 {formatDuration(w.p95Ms)} · p99 {formatDuration(w.p99Ms)}
      </dd>
    </div>
  );
}

/** The canonical path, step by step, with latencies and notes. */
function KindSteps({ template, annotations }: { template: FlowTemplate; annotations: Annotations }) {
  const { kind } = template;
  return (
    <ol className="fs-kind__steps" aria-label={`Canonical path of ${kind}`}>
      {template.steps.map((s, i) => {
        const [type, channel] = splitStep(s.step);
        return (
          <li key={s.step} className="fs-kind__step" data-testid={catalogMarkers.kindStep} data-step={s.step}>
            <span className="fs-kind__index" aria-hidden="true">
              {i + 1}
            </span>
            <div className="fs-kind__stepmain">
              <div className="fs-kind__stepline">
                <span className="fs-kind__type">{type}</span>
                <span className="fs-muted"> on </span>
                <span className="fs-kind__channel">{channel}</span>
                <span className="fs-kind__latency fs-muted">
                  {i === 0 ? 'starts the flow' : `p50 ${formatDuration(s.p50Ms)} · p99 ${formatDuration(s.p99Ms)}`}
                  {' · '}in {formatCount(s.count)} flows
                </span>
              </div>
              <AnnotationBlock
                target={annotationTarget.step(kind, s.step)}
                annotations={annotations}
                subject={`step ${s.step} of ${kind}`}
                compact
              />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** A typical and the slowest flow of the kind, to open or tour. */
function KindExampleFlows({ examples, loading }: { examples: KindExamples | undefined; loading: boolean }) {
  return (
    <div className="fs-kind__examples">
      {examples?.typical || examples?.slowest ? (
        <ul>
          {examples.typical && (
            <Example which="typical" flowId={examples.typical.id} durationMs={examples.typical.durationMs} />
          )}
          {examples.slowest && (
            <Example which="slowest" flowId={examples.slowest.id} durationMs={examples.slowest.durationMs} />
          )}
        </ul>
      ) : (
        <p className="fs-muted">
          {loading ? 'Looking for example flows…' : 'No completed example of this kind is retained right now. '}
          {!loading && <Link to={TRACE_ROOT}>Search flows by an order, trace or correlation id</Link>}
        </p>
      )}
    </div>
  );
}
