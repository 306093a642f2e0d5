import { ErrorBoundary } from '../../components/ErrorBoundary';
import { tourMarkers } from './tour.markers';
import { TourBar } from './TourBar';
import { TourMap } from './TourMap';
import { TourLoading, TourWhichFlow } from './TourMessage';
import { TourStepPanel } from './TourStepPanel';
import { useTour } from './useTour';
import './tour.css';

/** `/tour/<flow id>?step=<n>`: a recorded flow, one event at a time, on the map, with payload and notes. */
export function TourView() {
  const { flowId, query, flow, count, index, step, topology, highlight, traceLink, move, goTo } = useTour();
  if (!flowId) return <TourWhichFlow />;
  if (!flow) return <TourLoading error={query.isError ? query.error : null} />;
  const event = step?.event;
  return (
    <main
      className="fs-tour"
      data-testid={tourMarkers.root}
      data-flow-id={flow.id}
      data-step={index + 1}
      data-count={count}
    >
      <TourBar flow={flow} index={index} traceLink={traceLink} move={move} goTo={goTo} />
      <div className="fs-tour__body">
        {topology && highlight && step && (
          <ErrorBoundary area="map" resetKey={flow.id}>
            <TourMap
              topology={topology}
              highlight={highlight}
              producer={event?.producer ?? ''}
              channel={event?.channel ?? ''}
            />
          </ErrorBoundary>
        )}
        {step && <TourStepPanel flow={flow} step={step} />}
      </div>
    </main>
  );
}
