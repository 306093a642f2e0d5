import { compileFilter, flowConditions, type Breakpoint } from '@flowscope/shared';
import { useState, type FormEvent } from 'react';
import { Popover } from '../../components/Popover';
import { describeError } from '../../lib/api';
import { formatCount } from '../../lib/format';
import { selectBreakpoints, useDebugStore } from '../../stores/debugStore';
import {
  addBreakpoint,
  CONDITION_LABEL,
  describeBreakpoint,
  removeBreakpoint,
  setBreakpointEnabled,
} from './breakpointApi';
import { debugMarkers } from './debug.markers';
import './debug.css';

/** The toolbar button with the number of breakpoints, and the panel that sets and lists them. */
export function BreakpointsButton() {
  const breakpoints = useDebugStore(selectBreakpoints) ?? [];
  const enabled = breakpoints.filter((b) => b.enabled).length;
  return (
    <Popover
      label={
        <>
          <span className={`fs-bp-dot${enabled > 0 ? ' is-on' : ''}`} aria-hidden="true" /> Breakpoints
          {breakpoints.length > 0 && <span className="fs-bp-count">{breakpoints.length}</span>}
        </>
      }
      buttonClassName="fs-button"
      buttonAttributes={{
        title: 'Stop the view when an event matches, or when a flow fails, gets stuck or shows an anomaly',
        'data-testid': debugMarkers.panelButton,
        'data-count': String(breakpoints.length),
      }}
      region="Breakpoints"
      placement="below-end"
      panelClassName="fs-bp-panel"
      panelTestId={debugMarkers.panel}
    >
      <BreakpointsPanel breakpoints={breakpoints} />
    </Popover>
  );
}

function BreakpointsPanel({ breakpoints }: { breakpoints: readonly Breakpoint[] }) {
  const [error, setError] = useState<string | null>(null);
  const act = (work: Promise<unknown>) =>
    void work.then(
      () => setError(null),
      (err: unknown) => setError(describeError(err).message),
    );
  return (
    <div className="fs-bp">
      <p className="fs-muted fs-bp__intro">
        The view stops at a live event that matches an expression (the stream filter’s language), or when a flow fails,
        gets stuck or shows an anomaly. Brokers and services are never paused.
      </p>
      <ExpressionForm onError={setError} />
      <fieldset className="fs-bp__conditions">
        <legend>Also stop when</legend>
        {flowConditions.map((c) => {
          const set = breakpoints.find((b) => b.condition === c);
          return (
            <label key={c} className="fs-bp__condition">
              <input
                type="checkbox"
                checked={set?.enabled ?? false}
                data-testid={debugMarkers.condition(c)}
                onChange={(e) =>
                  act(
                    set
                      ? setBreakpointEnabled(set.id, e.target.checked)
                      : addBreakpoint({ condition: c, enabled: e.target.checked }),
                  )
                }
              />
              {CONDITION_LABEL[c]}
            </label>
          );
        })}
      </fieldset>
      {error && (
        <p className="fs-warning" role="alert" data-testid={debugMarkers.addError}>
          {error}
        </p>
      )}
      {breakpoints.length === 0 ? (
        <p className="fs-muted">
          No breakpoints yet. Add an expression above, or open an event and choose “Break on events like this”.
        </p>
      ) : (
        <ul className="fs-bp__list" aria-label="Breakpoints">
          {breakpoints.map((b) => (
            <BreakpointItem key={b.id} breakpoint={b} act={act} />
          ))}
        </ul>
      )}
    </div>
  );
}

function BreakpointItem({ breakpoint: b, act }: { breakpoint: Breakpoint; act: (work: Promise<unknown>) => void }) {
  return (
    <li
      className={`fs-bp__item${b.enabled ? '' : ' is-off'}`}
      data-testid={debugMarkers.item}
      data-breakpoint-id={b.id}
      data-hits={b.hits}
    >
      <input
        type="checkbox"
        checked={b.enabled}
        aria-label={`${b.enabled ? 'Disable' : 'Enable'} breakpoint ${describeBreakpoint(b)}`}
        data-testid={debugMarkers.itemToggle}
        onChange={(e) => act(setBreakpointEnabled(b.id, e.target.checked))}
      />
      <code className="fs-bp__what" title={b.expression ?? CONDITION_LABEL[b.condition ?? 'failed']}>
        {describeBreakpoint(b)}
      </code>
      <span className="fs-bp__hits" title="Times it fired since it was set">
        {formatCount(b.hits)} {b.hits === 1 ? 'hit' : 'hits'}
      </span>
      <button
        type="button"
        className="fs-icon-button"
        aria-label={`Remove breakpoint ${describeBreakpoint(b)}`}
        data-testid={debugMarkers.itemRemove}
        onClick={() => act(removeBreakpoint(b.id))}
      >
        ×
      </button>
    </li>
  );
}

/** An expression, checked as it is typed with the same compiler the server uses. */
function ExpressionForm({ onError }: { onError: (message: string | null) => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const compiled = text.trim() ? compileFilter(text) : null;
  const invalid = compiled !== null && !compiled.ok ? compiled.error.message : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim() || invalid) return;
    setBusy(true);
    addBreakpoint({ expression: text.trim() })
      .then(
        () => {
          setText('');
          onError(null);
        },
        (err: unknown) => onError(describeError(err).message),
      )
      .finally(() => setBusy(false));
  };
  return (
    <form className="fs-bp__form" onSubmit={submit}>
      <input
        className="fs-bp__input"
        type="text"
        placeholder='type == "payment.failed"'
        aria-label="Breakpoint expression"
        aria-invalid={invalid !== null}
        spellCheck={false}
        autoComplete="off"
        value={text}
        data-testid={debugMarkers.expressionInput}
        onChange={(e) => setText(e.target.value)}
      />
      <button
        type="submit"
        className="fs-button fs-button--small fs-button--accent"
        disabled={busy || !text.trim() || invalid !== null}
        data-testid={debugMarkers.add}
      >
        Add
      </button>
      {invalid && (
        <p className="fs-warning fs-bp__invalid" role="status">
          {invalid}
        </p>
      )}
    </form>
  );
}
