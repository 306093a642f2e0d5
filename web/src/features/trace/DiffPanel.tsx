import type { FlowEvent } from '@flowscope/shared';
import { useMemo } from 'react';
import { formatDuration, formatCount } from '../../lib/format';
import { chosenBaseline, entityBaseline, type Baseline } from './flowSteps';
import { diffPayloads, formatValue, type DiffEntry, type JsonDiff } from './payloadDiff';
import { traceMarkers } from './trace.markers';

type DiffPanelProps = Readonly<{
  events: readonly FlowEvent[];
  index: number;
  /** An earlier step picked by hand; null: the previous step of the same entity. */
  baselineId: string | null;
  onBaselineChange: (eventId: string | null) => void;
}>;

const SIGN: Readonly<Record<DiffEntry['change'], string>> = { added: '+', removed: '−', changed: '~' };

const why: Readonly<Record<Baseline['why'], string>> = {
  'same-channel': 'the previous step of the same entity on this channel',
  'same-producer': 'the previous step of the same entity from this producer',
  'shared-key': 'the previous step sharing a key',
  chosen: 'the step you picked',
};

const stepLabel = (e: FlowEvent, i: number) => `#${i + 1} ${e.type ?? 'untyped'} (${e.channel})`;

/** One added, removed or changed field, as text. */
export function DiffEntryItem({ entry }: { entry: DiffEntry }) {
  return (
    <li
      className={`fs-diff__entry is-${entry.change}`}
      data-testid={traceMarkers.diffEntry}
      data-path={entry.path}
      data-change={entry.change}
    >
      <span className="fs-diff__sign" aria-label={entry.change}>
        {SIGN[entry.change]}
      </span>
      <code className="fs-diff__path">{entry.path}</code>
      <span className="fs-diff__values">
        {entry.change !== 'added' && <span className="fs-diff__before">{formatValue(entry.before)}</span>}
        {entry.change === 'changed' && <span className="fs-diff__arrow"> → </span>}
        {entry.change !== 'removed' && <span className="fs-diff__after">{formatValue(entry.after)}</span>}
      </span>
    </li>
  );
}

/** This step's payload against an earlier one: added, removed and changed fields, as text. */
export function DiffPanel({ events, index, baselineId, onBaselineChange }: DiffPanelProps) {
  const event = events[index];
  const auto = useMemo(() => entityBaseline(events, index), [events, index]);
  const base = useMemo(
    () => (baselineId ? (chosenBaseline(events, index, baselineId) ?? auto) : auto),
    [events, index, baselineId, auto],
  );
  const diff = useMemo(() => (base && event ? diffPayloads(base.event.payload, event.payload) : null), [base, event]);
  if (!event) return null;

  const picker = index > 0 && (
    <BaselinePicker
      events={events}
      index={index}
      auto={auto}
      baselineId={baselineId}
      onBaselineChange={onBaselineChange}
    />
  );

  if (!base || !diff)
    return (
      <div className="fs-diff" data-testid={traceMarkers.diffPanel}>
        {picker}
        <p className="fs-note">
          {index === 0
            ? 'This is the first step of the flow: there is nothing earlier to compare it with.'
            : 'No earlier step shares a correlation key with this one. Pick a step to compare with above.'}
        </p>
      </div>
    );

  return (
    <div className="fs-diff" data-testid={traceMarkers.diffPanel} data-baseline-id={base.event.id}>
      {picker}
      <p className="fs-diff__against">
        Against <strong>{stepLabel(base.event, base.index)}</strong>, {why[base.why]},{' '}
        {formatDuration(event.timestamp - base.event.timestamp)} earlier
        {base.shared.length > 0 && (
          <>
            {' '}
            · shares{' '}
            {base.shared.map((k) => (
              <code key={k.name} className="fs-diff__key">
                {k.name} {k.value}
              </code>
            ))}
          </>
        )}
      </p>
      {!diff.comparable ? (
        <p className="fs-warning" data-testid={traceMarkers.diffNotComparable}>
          {diff.message}
        </p>
      ) : diff.entries.length === 0 ? (
        <p className="fs-note">No differences: the same fields with the same values.</p>
      ) : (
        <DiffEntries diff={diff} />
      )}
    </div>
  );
}

type PickerProps = Readonly<{
  events: readonly FlowEvent[];
  index: number;
  auto: Baseline | null;
  baselineId: string | null;
  onBaselineChange: (eventId: string | null) => void;
}>;

/** Which earlier step to compare with: the same entity's previous step, or any one picked. */
function BaselinePicker({ events, index, auto, baselineId, onBaselineChange }: PickerProps) {
  return (
    <label className="fs-diff__picker">
      <span className="fs-muted">Compare with</span>
      <select
        value={baselineId ?? ''}
        data-testid={traceMarkers.diffBaseline}
        onChange={(e) => onBaselineChange(e.target.value || null)}
      >
        <option value="">{auto ? `Same entity: ${stepLabel(auto.event, auto.index)}` : 'Same entity (none)'}</option>
        {events.slice(0, index).map((e, i) => (
          <option key={e.id} value={e.id}>
            {stepLabel(e, i)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What differs, counted by change and listed field by field. */
function DiffEntries({ diff }: { diff: JsonDiff }) {
  const count = (change: DiffEntry['change']) => diff.entries.filter((x) => x.change === change).length;
  const [added, removed, changed] = [count('added'), count('removed'), count('changed')];
  return (
    <>
      <p className="fs-diff__summary">
        <span className={added ? 'is-added' : 'is-zero'}>+{added} added</span>
        <span className={removed ? 'is-removed' : 'is-zero'}>−{removed} removed</span>
        <span className={changed ? 'is-changed' : 'is-zero'}>~{changed} changed</span>
        <span className="fs-muted">{formatCount(diff.unchanged)} unchanged</span>
      </p>
      <ul className="fs-diff__list">
        {diff.entries.map((entry) => (
          <DiffEntryItem key={`${entry.change}:${entry.path}`} entry={entry} />
        ))}
      </ul>
      {diff.omitted > 0 && <p className="fs-muted">… and {formatCount(diff.omitted)} more differences not listed.</p>}
    </>
  );
}
