import { Link } from 'react-router';
import { describeError } from '../../lib/api';
import { TRACE_ROOT } from '../../lib/routes';
import { tourMarkers } from './tour.markers';

const SearchFlows = () => (
  <Link className="fs-button fs-button--accent" to={TRACE_ROOT}>
    Search flows
  </Link>
);

/** No flow in the address: where tours start. */
export function TourWhichFlow() {
  return (
    <main className="fs-tour fs-tour--message" data-testid={tourMarkers.error}>
      <h1>Which flow?</h1>
      <p className="fs-muted">Open a flow in the trace view and choose “Take the tour”.</p>
      <SearchFlows />
    </main>
  );
}

/** The flow is loading, or could not be loaded (and why). */
export function TourLoading({ error }: { error: unknown }) {
  return (
    <main className="fs-tour fs-tour--message">
      {error ? (
        <div role="alert" data-testid={tourMarkers.error}>
          <h1>This flow cannot be toured</h1>
          <p className="fs-warning">{describeError(error).message}</p>
          <p className="fs-muted">
            Flows are kept while they are recent. Search for its order, trace or correlation id to find it again.
          </p>
          <SearchFlows />
        </div>
      ) : (
        <p className="fs-muted" role="status">
          Loading the flow…
        </p>
      )}
    </main>
  );
}
