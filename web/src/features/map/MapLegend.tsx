import type { EdgeEvidence } from '@flowscope/shared';
import { Panel } from '@xyflow/react';
import type { ReactNode } from 'react';
import { LAG_WARN_AT } from './edgeLabel';
import { formatCount } from '../../lib/format';

type MapLegendProps = {
  children?: ReactNode;
  /** Evidence on the map: the route styles (binding, dead letters) are explained only when drawn. */
  evidence?: readonly EdgeEvidence[];
};

/** A line of the legend in a route's style. */
function RouteItem({ style, label, title }: { style: string; label: string; title: string }) {
  return (
    <span className="fs-legend__item" title={title}>
      <svg width="26" height="8" aria-hidden="true">
        <line x1="0" y1="4" x2="26" y2="4" className={`fs-legend__line fs-legend__line--${style}`} />
      </svg>
      {label}
    </span>
  );
}

/** Explains shapes and line styles; the map doubles as documentation. `children` sit above it (the filter). */
export function MapLegend({ children, evidence = [] }: MapLegendProps) {
  return (
    <Panel position="bottom-right" className="fs-map__corner">
      {children}
      <div className="fs-legend" role="group" aria-label="Legend">
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
        <span className="fs-legend__item">
          <svg width="26" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="26" y2="4" className="fs-legend__line fs-legend__line--consumes" />
          </svg>
          consumes
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
        <span
          className="fs-legend__item"
          title="A consumer is this many messages (Kafka: records) or more behind the channel's end"
        >
          <svg width="26" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="26" y2="4" className="fs-legend__line fs-legend__line--lag-warn" />
          </svg>
          lag ≥ {formatCount(LAG_WARN_AT)}
        </span>
        {evidence.includes('binding') && (
          <RouteItem
            style="binding"
            label="binding"
            title="The broker routes one channel into another (exchange binding)"
          />
        )}
        {evidence.includes('dead-letter') && (
          <RouteItem
            style="dead-letter"
            label="dead letters"
            title="Where a queue sends the messages it rejects or expires (dead-letter exchange)"
          />
        )}
      </div>
    </Panel>
  );
}
