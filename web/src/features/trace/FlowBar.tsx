import type { Flow } from '@flowscope/shared';
import { Link } from 'react-router';
import { tourPath, TRACE_ROOT } from '../../lib/routes';
import { ExportGroup, flowExportLinks } from '../export';
import { traceMarkers } from './trace.markers';
import { TraceSearchBox } from './TraceSearchBox';
import type { TraceParams } from './useTraceParams';

/** Above the flow: back to the search, a search box, the keys, the tour and the exports. */
export function FlowBar({ flow, params }: { flow: Flow | undefined; params: TraceParams }) {
  return (
    <div className="fs-tflow__bar">
      <Link to={TRACE_ROOT} className="fs-back-link" title="Search flows">
        ← Flows
      </Link>
      <TraceSearchBox initialQuery="" onSubmit={params.search} onOpenFlow={params.openFlow} compact />
      {params.at !== null && (
        <span className="fs-tflow__past" role="status" data-testid={traceMarkers.pastMoment} data-at={params.at}>
          ⟲ As it was at {new Date(params.at).toLocaleString()}{' '}
          <button type="button" className="fs-link-button" onClick={params.clearAt}>
            Show it now
          </button>
        </span>
      )}
      {flow && (
        <span className="fs-tflow__keys-hint fs-muted" aria-hidden="true">
          <kbd>j</kbd> <kbd>k</kbd> steps · <kbd>Enter</kbd> open · <kbd>Esc</kbd> close
        </span>
      )}
      {flow && (
        <div className="fs-tflow__actions">
          <Link
            to={tourPath(flow.id)}
            className="fs-button fs-button--small"
            data-testid={traceMarkers.tourLink}
            title="Step through this flow one event at a time, on the map"
          >
            Take the tour
          </Link>
          <ExportGroup scope="trace" links={flowExportLinks(flow.id)} />
        </div>
      )}
    </div>
  );
}
