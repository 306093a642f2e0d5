import { entityResponseSchema, type EntityResponse } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { apiGet, describeError } from '../../lib/api';
import { formatClock, formatDuration } from '../../lib/format';
import { isEditable } from '../../lib/keyboard';
import { tracePath } from '../../lib/routes';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';
import { foldEntity, type EntityStep } from './entityFold';
import { jsonText, TOO_DEEP } from './payloadDiff';
import { DiffEntryItem } from './DiffPanel';
import { traceMarkers } from './trace.markers';
import './entity.css';

/** `/entity?key=orderId&value=A-1&step=3`: one entity's events, its state folded step by step. */
export function EntityView() {
  const [params, update] = useSearchParamsPatch();
  const value = params.get('value')?.trim() ?? '';
  const name = params.get('key')?.trim() || undefined;
  const history = useQuery({
    queryKey: ['entity', name ?? '', value],
    queryFn: ({ signal }) =>
      apiGet(
        `/api/entity?${new URLSearchParams({ value, ...(name ? { key: name } : {}) }).toString()}`,
        entityResponseSchema,
        signal,
      ),
    enabled: value !== '',
    // New events of the entity show up; each read gathers up to 100 flows, so not too often.
    refetchInterval: 15_000,
  });
  return (
    <main className="fs-entity" data-testid={traceMarkers.entityPage}>
      <header className="fs-entity__head">
        <h1>
          History of {name ?? 'entity'} <code>{value || '…'}</code>
        </h1>
        <p className="fs-muted">
          Every event that carries this key, across flows and brokers, in order, with the entity’s state folded step by
          step (later fields over earlier ones).
        </p>
        <EntityForm key={`${name ?? ''}=${value}`} name={name} value={value} />
      </header>
      {value === '' ? null : history.isPending ? (
        <p className="fs-muted">Reading the history…</p>
      ) : history.isError ? (
        <p className="fs-warning" role="alert">
          {describeError(history.error).message}
        </p>
      ) : (
        <History
          data={history.data}
          step={Number(params.get('step') ?? '1')}
          onStep={(n) => update({ step: n > 1 ? String(n) : null })}
        />
      )}
    </main>
  );
}

function EntityForm({ name, value }: { name: string | undefined; value: string }) {
  const [, update] = useSearchParamsPatch();
  const [keyName, setKeyName] = useState(name ?? '');
  const [text, setText] = useState(value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ key: keyName.trim() || null, value: text.trim() || null, step: null });
  };
  return (
    <form className="fs-entity__form" onSubmit={submit}>
      <input
        aria-label="Key name (optional)"
        placeholder="key name, e.g. orderId (optional)"
        value={keyName}
        onChange={(e) => setKeyName(e.target.value)}
      />
      <input
        aria-label="Key value"
        placeholder="value, e.g. A-10012"
        value={text}
        data-testid={traceMarkers.entityInput}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="fs-button fs-button--small fs-button--accent">
        Show history
      </button>
    </form>
  );
}

function History({ data, step, onStep }: { data: EntityResponse; step: number; onStep: (n: number) => void }) {
  const steps = useMemo(() => foldEntity(data.events), [data.events]);
  const index = Math.min(Math.max(1, Number.isFinite(step) ? step : 1), Math.max(1, steps.length)) - 1;
  useStepKeys(index, steps.length, onStep);
  if (steps.length === 0)
    return (
      <p className="fs-muted" data-testid={traceMarkers.entityEmpty}>
        No retained event carries <code>{data.value}</code>
        {data.name ? ` as ${data.name}` : ''}. Events are kept while they are recent or stored; check the value, or
        search it in Trace.
      </p>
    );
  const current = steps[index] as EntityStep;
  return (
    <div className="fs-entity__body">
      <ol className="fs-entity__steps" aria-label="Events, oldest first" data-testid={traceMarkers.entitySteps}>
        {steps.map((s, i) => (
          <li key={s.event.id}>
            <button
              type="button"
              className={`fs-entity__step${i === index ? ' is-current' : ''}${s.stale.length > 0 ? ' is-stale' : ''}`}
              aria-current={i === index ? 'step' : undefined}
              data-testid={traceMarkers.entityStep}
              data-event-id={s.event.id}
              onClick={() => onStep(i + 1)}
            >
              <span className="fs-entity__n">#{i + 1}</span>
              <span className="fs-entity__type">{s.event.type ?? 'untyped'}</span>
              <span className="fs-muted">
                {s.event.channel} · {formatClock(s.event.timestamp)}
              </span>
              <span className="fs-entity__badges">
                {s.skipped ? (
                  <span className="fs-badge fs-badge--quiet">not folded</span>
                ) : (
                  <span className="fs-badge fs-badge--quiet">{s.changes.length} changed</span>
                )}
                {s.stale.length > 0 && <span className="fs-badge fs-badge--warn">behind</span>}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <StepDetail step={current} index={index} count={steps.length} truncated={data.truncated} />
    </div>
  );
}

/** j/k or ←/→ move between steps. */
function useStepKeys(index: number, count: number, onStep: (n: number) => void) {
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
    const move = e.key === 'j' || e.key === 'ArrowRight' ? 1 : e.key === 'k' || e.key === 'ArrowLeft' ? -1 : 0;
    if (move === 0) return;
    e.preventDefault();
    onStep(Math.min(Math.max(1, index + 1 + move), count));
  });
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function StepDetail({
  step,
  index,
  count,
  truncated,
}: {
  step: EntityStep;
  index: number;
  count: number;
  truncated: boolean;
}) {
  const e = step.event;
  return (
    <section
      className="fs-entity__detail"
      aria-label={`Step ${index + 1} of ${count}`}
      data-testid={traceMarkers.entityDetail}
    >
      <h2 className="fs-entity__title">
        #{index + 1} {e.type ?? 'untyped event'} <span className="fs-muted">on {e.channel}</span>
        {e.producer && <span className="fs-muted"> from {e.producer}</span>}
      </h2>
      <p className="fs-muted">
        {formatClock(e.timestamp)} · <Link to={tracePath(e.id, { step: e.id })}>its flow in Trace</Link>
        {truncated && ' · only the oldest events are shown: the history is longer'}
      </p>
      {step.stale.map((s) => (
        <p key={s.path} className="fs-warning" data-testid={traceMarkers.entityStale}>
          <code>{s.path}</code> goes back to a value the entity had left {formatDuration(s.behindMs)} earlier: this
          event carries an older state (a read model or projection behind the entity’s events).
        </p>
      ))}
      <h3 className="fs-panel-title">Change at this step</h3>
      {step.skipped ? (
        <p className="fs-muted">Not folded: {step.skipped}. The state is as the step before left it.</p>
      ) : step.changes.length === 0 ? (
        <p className="fs-muted">Nothing changed: this event carries the state as it was.</p>
      ) : (
        <ul className="fs-diff__list" data-testid={traceMarkers.entityChanges}>
          {step.changes.map((c) => (
            <DiffEntryItem key={c.path} entry={c} />
          ))}
        </ul>
      )}
      <h3 className="fs-panel-title">State after step {index + 1}</h3>
      <pre className="fs-entity__state" data-testid={traceMarkers.entityState}>
        {jsonText(step.state, 2) ?? TOO_DEEP}
      </pre>
    </section>
  );
}
