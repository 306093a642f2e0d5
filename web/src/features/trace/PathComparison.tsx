import type { Annotation, AnomalyKind, Flow, FlowEvent } from '@flowscope/shared';
import { useEffect, useMemo, useRef } from 'react';
import { formatLatency } from '../../lib/format';
import { type Annotations, annotationTarget, hasText, noteFullText, noteHeadline } from '../annotations';
import { anomalyInfo, primaryAnomaly } from './anomalyStyle';
import { AnomalyGlyph } from './badges';
import { anomaliesByEvent, hopsByTarget, pathRows, type PathRow } from './flowSteps';
import { traceMarkers } from './trace.markers';

type PathComparisonProps = Readonly<{
  flow: Flow;
  selectedId: string | null;
  cursorId: string | null;
  /** A template step to bring into view (from a "missing step" anomaly). */
  highlightStep: string | null;
  onSelect: (eventId: string) => void;
  /** Notes by target: a step with one is marked (its title, the whole note on hover and in the label). */
  annotations?: Annotations;
}>;

function StepName({ step }: { step: string }) {
  const at = step.lastIndexOf('@');
  return (
    <span className="fs-stepname">
      <span className="fs-stepname__type">{at > 0 ? step.slice(0, at) : step}</span>
      {at > 0 && <span className="fs-stepname__channel">@{step.slice(at + 1)}</span>}
    </span>
  );
}

type ExpectedCellProps = Readonly<{ row: PathRow; highlighted: boolean; pending: boolean }>;

function ExpectedCell({ row, highlighted, pending }: ExpectedCellProps) {
  if (!row.expected)
    return (
      <div className="fs-path__expected is-extra">
        {row.status === 'repeat' ? 'repeated step' : 'not in the expected path'}
      </div>
    );
  const { seen, step } = row.expected;
  return (
    <div
      className={`fs-path__expected ${seen ? 'is-seen' : 'is-missing'}${highlighted ? ' is-highlighted' : ''}`}
      data-testid={traceMarkers.expectedStep}
      data-step={step}
      data-seen={seen}
    >
      <span className="fs-path__mark" aria-label={seen ? 'seen' : pending ? 'not yet' : 'missing'}>
        {seen ? '✓' : pending ? '…' : '✗'}
      </span>
      <StepName step={step} />
    </div>
  );
}

/** Expected path (learned template) next to the actual steps; click a step to inspect it. */
export function PathComparison({
  flow,
  selectedId,
  cursorId,
  highlightStep,
  onSelect,
  annotations,
}: PathComparisonProps) {
  const rows = useMemo(() => pathRows(flow.events, flow.expected), [flow.events, flow.expected]);
  const kinds = useMemo(() => anomaliesByEvent(flow.anomalies), [flow.anomalies]);
  const into = useMemo(() => hopsByTarget(flow.hops), [flow.hops]);
  const hasTemplate = (flow.expected?.length ?? 0) > 0;
  const missing = flow.expected?.filter((x) => !x.seen).length ?? 0;
  // An open flow has not missed its later steps yet; it has not got there.
  const pending = flow.status === 'open';
  const listRef = useRef<HTMLOListElement>(null);

  // Bring a template step named by an anomaly into view. (The keyboard cursor needs no help:
  // focus moves to the step in the diagram.)
  useEffect(() => {
    if (!highlightStep) return;
    listRef.current?.querySelector(`[data-step="${CSS.escape(highlightStep)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [highlightStep]);

  return (
    <section className="fs-path" data-testid={traceMarkers.pathList} aria-labelledby="trace-path-title">
      <PathHead flow={flow} hasTemplate={hasTemplate} missing={missing} pending={pending} />
      {hasTemplate && (
        <div className="fs-path__cols" aria-hidden="true">
          <span>Expected ({flow.expected?.length})</span>
          <span>Actual ({flow.events.length})</span>
        </div>
      )}
      <ol className={`fs-path__list${hasTemplate ? '' : ' is-single'}${pending ? ' is-pending' : ''}`} ref={listRef}>
        {rows.map((row, i) => {
          const e = row.event;
          const k = e ? (kinds.get(e.id) ?? []) : [];
          const hop = e ? into.get(e.id) : undefined;
          return (
            <li key={e ? e.id : `missing-${row.step}-${i}`} className={`fs-path__row is-${row.status}`}>
              {hasTemplate && (
                <ExpectedCell row={row} highlighted={row.step === highlightStep && !row.event} pending={pending} />
              )}
              {e && row.index !== null ? (
                <StepButton
                  row={row}
                  event={e}
                  kinds={k}
                  latencyMs={hop?.latencyMs}
                  note={annotations?.byTarget.get(annotationTarget.step(flow.kind, row.step))}
                  selected={e.id === selectedId}
                  cursor={e.id === cursorId}
                  onSelect={onSelect}
                />
              ) : (
                <div className="fs-path__gap">
                  {pending ? 'not yet: the flow is still open' : 'missing: this step never happened'}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

type PathHeadProps = Readonly<{ flow: Flow; hasTemplate: boolean; missing: number; pending: boolean }>;

function PathHead({ flow, hasTemplate, missing, pending }: PathHeadProps) {
  return (
    <header className="fs-path__head">
      <h2 id="trace-path-title" className="fs-panel-title">
        {hasTemplate ? 'Expected path vs actual steps' : 'Steps'}
      </h2>
      {hasTemplate ? (
        <span className={`fs-path__summary${missing === 0 ? '' : pending ? ' is-pending' : ' is-bad'}`}>
          {missing === 0
            ? 'every expected step seen'
            : pending
              ? `${missing} expected step${missing === 1 ? '' : 's'} not seen yet (the flow is still open)`
              : `${missing} expected step${missing === 1 ? '' : 's'} missing`}
        </span>
      ) : (
        <span className="fs-path__summary fs-muted">
          No learned path for {flow.kind} yet: templates are learned from flows of this kind once they settle.
        </span>
      )}
    </header>
  );
}

type StepButtonProps = Readonly<{
  row: PathRow;
  event: FlowEvent;
  kinds: readonly AnomalyKind[];
  /** From the step that caused it; undefined for the first. */
  latencyMs: number | undefined;
  note: Annotation | undefined;
  selected: boolean;
  cursor: boolean;
  onSelect: (eventId: string) => void;
}>;

/** An actual step: number, name, producer, latency, anomalies and note; pressing it inspects the step. */
function StepButton({ row, event: e, kinds, latencyMs, note, selected, cursor, onSelect }: StepButtonProps) {
  const primary = primaryAnomaly(kinds);
  return (
    <button
      type="button"
      className={`fs-path__step${selected ? ' is-selected' : ''}${cursor ? ' is-cursor' : ''}`}
      data-testid={traceMarkers.stepItem}
      data-event-id={e.id}
      data-status={row.status}
      aria-pressed={selected}
      onClick={() => onSelect(e.id)}
    >
      <span className="fs-path__num">{(row.index ?? 0) + 1}</span>
      <StepName step={row.step} />
      <span className="fs-path__producer">{e.producer ?? 'unknown producer'}</span>
      <span className="fs-path__latency">{latencyMs === undefined ? 'start' : formatLatency(latencyMs)}</span>
      <span className="fs-path__flags">
        {primary && <AnomalyGlyph kind={primary} />}
        {kinds.length > 0 && (
          <span className="fs-path__flag-text">{kinds.map((x) => anomalyInfo[x].label).join(', ')}</span>
        )}
        {hasText(note) && (
          <span className="fs-path__note" data-testid={traceMarkers.stepNoteMark} title={`Note: ${noteFullText(note)}`}>
            <span className="fs-path__note-mark" aria-hidden="true" />
            <span className="fs-path__note-label">Note: </span>
            <span className="fs-path__note-text">{noteHeadline(note)}</span>
          </span>
        )}
      </span>
    </button>
  );
}
