import { mapMarkers } from './map.markers';

/** Shown until the first event arrives: what the map will show and how to get events. */
export function MapEmptyState({ loading }: { loading: boolean }) {
  return (
    <div className="fs-empty fs-map__empty" data-testid={mapMarkers.emptyState} role="status">
      <div className="fs-empty__pulse" aria-hidden="true" />
      <h2 className="fs-empty__title">{loading ? 'Connecting to the live map…' : 'Waiting for events…'}</h2>
      <p className="fs-empty__text">
        Flowscope draws services and channels as soon as events arrive, and learns who consumes what from the events
        themselves.
      </p>
      <p className="fs-empty__text">
        Start the server with <code>--kafka host:port --topics orders,payments</code> to tap Kafka, or with{' '}
        <code>--demo</code> to watch the simulated shop.
      </p>
    </div>
  );
}
