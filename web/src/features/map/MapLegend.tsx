import { Panel } from '@xyflow/react';

/** Explains shapes and line styles; the map doubles as documentation. */
export function MapLegend() {
  return (
    <Panel position="bottom-right" className="fs-legend" aria-label="Legend">
      <span className="fs-legend__item">
        <span className="fs-legend__swatch fs-legend__swatch--service" aria-hidden="true" /> service
      </span>
      <span className="fs-legend__item">
        <span className="fs-legend__swatch fs-legend__swatch--channel" aria-hidden="true" /> channel
      </span>
      <span className="fs-legend__item">
        <svg width="26" height="8" aria-hidden="true">
          <line x1="0" y1="4" x2="26" y2="4" className="fs-legend__line fs-legend__line--produces" />
        </svg>
        produces
      </span>
      <span
        className="fs-legend__item"
        title="Inferred from causation ids: the service emitted events caused by messages on the channel"
      >
        <svg width="26" height="8" aria-hidden="true">
          <line x1="0" y1="4" x2="26" y2="4" className="fs-legend__line fs-legend__line--inferred" />
        </svg>
        consumes (inferred)
      </span>
    </Panel>
  );
}
