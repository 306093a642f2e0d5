import { useEffect, useState, type ReactNode } from 'react';
import { describeError } from '../../lib/api';
import { formatRelative } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { historyMarkers } from './history.markers';
import { useHistory } from './useHistory';
import './history.css';

const SPEEDS = [
  { label: '1×', factor: 1 },
  { label: '10×', factor: 10 },
  { label: '100×', factor: 100 },
  { label: 'max', factor: 1000 },
] as const;
const TICK_MS = 500;
const WINDOWS = [
  { ms: 60_000, label: '1 min' },
  { ms: 300_000, label: '5 min' },
  { ms: 900_000, label: '15 min' },
  { ms: 3_600_000, label: '1 h' },
] as const;
const STEPS = [
  { delta: -60_000, label: '−1 min' },
  { delta: -10_000, label: '−10 s' },
  { delta: 10_000, label: '+10 s' },
  { delta: 60_000, label: '+1 min' },
] as const;

const clock = (ms: number) =>
  new Date(ms).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

/** Plays the past forward: `at` advances by the speed's factor of real time, up to the newest event. */
function usePlayback(at: number, end: number, busy: boolean, onAt: (at: number) => void) {
  const [speed, setSpeed] = useState<number | null>(null);
  useEffect(() => {
    // One moment at a time: the next tick waits for the last moment to be read.
    if (speed === null || busy) return;
    const timer = setInterval(() => {
      const next = Math.min(at + TICK_MS * speed, end);
      onAt(next);
      if (next >= end) setSpeed(null);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [speed, at, end, busy, onAt]);
  return { speed, setSpeed };
}

/**
 * Time travel: over the map while the view shows a moment of the past. A scrubber over what the
 * store holds, steps, playback at 1×, 10×, 100× or as fast as it goes, and the way back to live.
 */
export function HistoryBar({
  at,
  onAt,
  windowMs,
  onWindow,
}: {
  at: number;
  onAt: (at: number | null) => void;
  windowMs: number | null;
  onWindow: (ms: number) => void;
}) {
  const { data, fetching, error } = useHistory(at, windowMs, () => onAt(null));
  const now = useNow(5_000);
  const oldest = data?.range?.oldest ?? at;
  const end = Math.max(data?.range?.newest ?? at, at);
  const { speed, setSpeed } = usePlayback(at, end, fetching, onAt);
  return (
    <div
      className="fs-history-bar"
      role="region"
      aria-label="Time travel"
      data-testid={historyMarkers.bar}
      data-at={at}
    >
      <div className="fs-history-bar__status" role="status">
        <strong data-testid={historyMarkers.moment}>⟲ {clock(at)}</strong>{' '}
        <span className="fs-muted">({formatRelative(at, now)})</span>
        {fetching && <span className="fs-muted"> · loading…</span>}
        <span className="fs-muted fs-history-bar__note">
          The stream shows the events up to this moment; the map, those of the{' '}
          {Math.round((data?.windowMs ?? 300_000) / 60_000)} minutes before it. Flowscope goes on reading live
          meanwhile.
        </span>
        {data?.sampled && (
          <span className="fs-warning" data-testid={historyMarkers.sampled}>
            A busy window: the map is drawn from its newest 20,000 events.
          </span>
        )}
        {error !== null && (
          <span className="fs-warning" role="alert">
            {describeError(error).message}
          </span>
        )}
      </div>
      <input
        className="fs-history-bar__scrubber"
        type="range"
        min={oldest}
        max={end}
        step={1000}
        value={at}
        aria-label="Moment to show"
        aria-valuetext={clock(at)}
        data-testid={historyMarkers.scrubber}
        onChange={(e) => onAt(Number(e.target.value))}
      />
      <Controls at={at} onAt={onAt} speed={speed} setSpeed={setSpeed}>
        <select
          aria-label="The map shows the events of"
          value={data?.windowMs ?? windowMs ?? 300_000}
          data-testid={historyMarkers.window}
          onChange={(e) => onWindow(Number(e.target.value))}
        >
          {WINDOWS.map((w) => (
            <option key={w.ms} value={w.ms}>
              map: {w.label} before
            </option>
          ))}
        </select>
      </Controls>
    </div>
  );
}

/** Steps, playback speed, play or stop, and the way back to live. */
function Controls({
  at,
  onAt,
  speed,
  setSpeed,
  children,
}: {
  at: number;
  onAt: (at: number | null) => void;
  speed: number | null;
  setSpeed: (speed: number | null) => void;
  children: ReactNode;
}) {
  const [chosen, setChosen] = useState<number>(SPEEDS[0].factor);
  return (
    <div className="fs-history-bar__actions">
      {STEPS.map((s) => (
        <button
          key={s.delta}
          type="button"
          className="fs-button fs-button--small"
          data-testid={historyMarkers.step(s.label)}
          onClick={() => onAt(Math.max(0, at + s.delta))}
        >
          {s.label}
        </button>
      ))}
      <select
        aria-label="Playback speed"
        value={chosen}
        data-testid={historyMarkers.speed}
        onChange={(e) => {
          setChosen(Number(e.target.value));
          if (speed !== null) setSpeed(Number(e.target.value));
        }}
      >
        {SPEEDS.map((s) => (
          <option key={s.label} value={s.factor}>
            {s.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="fs-button fs-button--small"
        aria-pressed={speed !== null}
        data-testid={historyMarkers.play}
        onClick={() => setSpeed(speed === null ? chosen : null)}
      >
        {speed === null ? '▶ Play' : '❚❚ Stop'}
      </button>
      {children}
      <button
        type="button"
        className="fs-button fs-button--small fs-button--accent"
        data-testid={historyMarkers.live}
        onClick={() => onAt(null)}
      >
        Back to live
      </button>
    </div>
  );
}

/** The toolbar button that goes back in time (five minutes, to start with). */
export function HistoryButton({ onAt }: { onAt: (at: number) => void }) {
  return (
    <button
      type="button"
      className="fs-button"
      title="Look at the map and the stream as they were at a moment of the past"
      data-testid={historyMarkers.enter}
      onClick={() => onAt(Date.now() - 5 * 60_000)}
    >
      ⟲ History
    </button>
  );
}
