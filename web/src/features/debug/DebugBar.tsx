import { useEffect, useEffectEvent } from 'react';
import { formatCount } from '../../lib/format';
import { isEditable } from '../../lib/keyboard';
import { selectBreakpoints, selectStop, useDebugStore, type StepKind } from '../../stores/debugStore';
import { selectNewWhilePaused, selectPaused, selectResume, useLiveStore } from '../../stores/liveStore';
import { describeBreakpoint } from './breakpointApi';
import { debugMarkers } from './debug.markers';
import { useStepper } from './useStepper';
import './debug.css';

const STEPS: readonly { kind: StepKind; label: string; key: string; title: string }[] = [
  { kind: 'event', label: 'Next event', key: 'n', title: 'Step to the next event in the stream (n)' },
  { kind: 'flow', label: 'Next in flow', key: 'f', title: 'Step to the next event of this flow (f)' },
  { kind: 'match', label: 'Next match', key: 'm', title: 'Step to the next breakpoint hit (m)' },
];

const WAITING: Readonly<Record<StepKind, string>> = {
  event: 'Waiting for the next event…',
  flow: 'Waiting for the next event of this flow…',
  match: 'Waiting for the next breakpoint hit…',
};

/** n / f / m step, r resumes; never while typing in a field. */
function useDebugKeys(active: boolean, step: (kind: StepKind) => void, resume: () => void) {
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (!active || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
    const kind = STEPS.find((s) => s.key === e.key)?.kind;
    if (kind) step(kind);
    else if (e.key === 'r') resume();
    else return;
    e.preventDefault();
  });
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

/**
 * Over the map while the view is paused (by hand or at a breakpoint): where it stopped and why,
 * that only the view is paused (the brokers and the services are not), how many events arrived
 * behind it, and the stepping controls.
 */
export function DebugBar({ onOpenEvent }: { onOpenEvent: (id: string) => void }) {
  const paused = useLiveStore(selectPaused);
  const behind = useLiveStore(selectNewWhilePaused);
  const resume = useLiveStore(selectResume);
  const mapPending = useLiveStore((s) => s.frozenTopologyPending);
  const stop = useDebugStore(selectStop);
  const breakpoints = useDebugStore(selectBreakpoints);
  const { step, waiting, cancel } = useStepper(onOpenEvent);
  useDebugKeys(paused, step, resume);
  if (!paused) return null;

  const breakpoint = stop ? breakpoints?.find((b) => b.id === stop.hit.breakpointId) : undefined;
  return (
    <div
      className="fs-debug-bar"
      role="region"
      aria-label="Debugger"
      data-testid={debugMarkers.bar}
      data-reason={stop ? 'breakpoint' : 'paused'}
      data-map={mapPending ? 'catching-up' : 'frozen'}
    >
      <div className="fs-debug-bar__status" role="status" data-testid={debugMarkers.barStatus}>
        <strong className="fs-debug-bar__title">
          <span aria-hidden="true">❚❚ </span>
          {stop ? `Stopped at breakpoint “${breakpoint ? describeBreakpoint(breakpoint) : 'removed'}”` : 'View paused'}
        </strong>
        {stop && <span className="fs-debug-bar__reason">{stop.hit.reason}</span>}
        <span className="fs-debug-bar__note">
          Only this view is paused: Flowscope keeps reading the brokers and your services keep running.{' '}
          <b data-testid={debugMarkers.behind} data-count={behind}>
            {formatCount(behind)}
          </b>{' '}
          {behind === 1 ? 'event has' : 'events have'} arrived since.
        </span>
        {waiting && (
          <span className="fs-debug-bar__waiting" data-testid={debugMarkers.waiting}>
            {WAITING[waiting]}{' '}
            <button type="button" className="fs-link-button" onClick={cancel}>
              Cancel
            </button>
          </span>
        )}
      </div>
      <div className="fs-debug-bar__actions">
        {STEPS.map((s) => (
          <button
            key={s.kind}
            type="button"
            className="fs-button fs-button--small"
            title={s.title}
            aria-keyshortcuts={s.key}
            data-testid={debugMarkers.step(s.kind)}
            onClick={() => step(s.kind)}
          >
            {s.label} <kbd aria-hidden="true">{s.key}</kbd>
          </button>
        ))}
        <button
          type="button"
          className="fs-button fs-button--small fs-button--accent"
          title="Show live traffic again (r)"
          aria-keyshortcuts="r"
          data-testid={debugMarkers.resume}
          onClick={resume}
        >
          ▶ Resume <kbd aria-hidden="true">r</kbd>
        </button>
      </div>
    </div>
  );
}
