import type { Flow } from '@flowscope/shared';
import { Link } from 'react-router';
import { tourMarkers } from './tour.markers';
import type { TourMove } from './tourSteps';

type TourBarProps = Readonly<{
  flow: Flow;
  index: number;
  traceLink: string;
  move: (m: TourMove) => void;
  goTo: (index: number) => void;
}>;

/** The tour's header: back to the trace, which flow and step, previous/next, and a dot per step. */
export function TourBar({ flow, index, traceLink, move, goTo }: TourBarProps) {
  const count = flow.events.length;
  return (
    <>
      <header className="fs-tour__bar">
        <Link
          to={traceLink}
          className="fs-back-link fs-tour__exit"
          data-testid={tourMarkers.exit}
          title="Back to the trace (Esc)"
        >
          ← Trace
        </Link>
        <h1 className="fs-tour__title">
          Tour of <span className="fs-tour__kind">{flow.kind}</span>
        </h1>
        <span className="fs-tour__count" aria-live="polite">
          Step {index + 1} of {count}
        </span>
        <div className="fs-tour__nav">
          <button
            type="button"
            className="fs-button"
            onClick={() => move('previous')}
            disabled={index <= 0}
            data-testid={tourMarkers.previous}
            title="Previous step (← or k)"
          >
            ← Previous
          </button>
          <button
            type="button"
            className="fs-button fs-button--accent"
            onClick={() => move('next')}
            disabled={index >= count - 1}
            data-testid={tourMarkers.next}
            title="Next step (→ or j)"
          >
            Next →
          </button>
        </div>
        <span className="fs-muted fs-tour__keys" aria-hidden="true">
          <kbd>←</kbd> <kbd>→</kbd> steps · <kbd>Home</kbd> <kbd>End</kbd> · <kbd>Esc</kbd> back
        </span>
      </header>
      <TourProgress flow={flow} index={index} goTo={goTo} />
    </>
  );
}

function TourProgress({ flow, index, goTo }: Pick<TourBarProps, 'flow' | 'index' | 'goTo'>) {
  return (
    <ol className="fs-tour__progress" data-testid={tourMarkers.progress} aria-label="Steps">
      {flow.events.map((e, i) => (
        <li key={e.id}>
          <button
            type="button"
            className={`fs-tour__dot${i < index ? ' is-done' : ''}${i === index ? ' is-current' : ''}`}
            aria-current={i === index ? 'step' : undefined}
            aria-label={`Step ${i + 1}: ${e.type ?? '(untyped)'} on ${e.channel}`}
            title={`${i + 1}. ${e.type ?? '(untyped)'} on ${e.channel}`}
            data-testid={tourMarkers.progressItem}
            data-step={i + 1}
            onClick={() => goTo(i)}
          />
        </li>
      ))}
    </ol>
  );
}
