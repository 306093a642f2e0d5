import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../lib/api';
import { useNow } from '../../lib/useNow';
import { tracePath } from '../../lib/routes';
import { Inspector, type InspectorTab } from './Inspector';
import { inspectorMarkers } from './inspector.markers';
import { useInspectedEvent } from './useInspectedEvent';
import './inspector.css';

type InspectorPanelProps = Readonly<{ eventId: string; onClose: () => void }>;

/** Side panel for the event in the URL; finds it live or fetches it. */
export function InspectorPanel({ eventId, onClose }: InspectorPanelProps) {
  const inspected = useInspectedEvent(eventId);
  const [tab, setTab] = useState<InspectorTab>('payload');
  const now = useNow();

  return (
    <aside
      className="fs-inspector"
      data-testid={inspectorMarkers.root}
      data-event-id={eventId}
      aria-label="Event inspector"
    >
      <header className="fs-inspector__header">
        <h2 className="fs-panel-title">Inspector</h2>
        <div className="fs-inspector__actions">
          {/* The trace view resolves an event id to its flow and then shows the flow's own id. */}
          <Link
            className="fs-button fs-button--small"
            to={tracePath(eventId, { step: eventId })}
            title="Follow this event's flow across services"
            data-testid={inspectorMarkers.traceFlow}
          >
            Trace this flow →
          </Link>
          <button
            type="button"
            className="fs-icon-button"
            aria-label="Close inspector (Esc)"
            title="Close (Esc)"
            data-testid={inspectorMarkers.close}
            onClick={onClose}
          >
            ×
          </button>
        </div>
      </header>
      {inspected.status === 'ready' && <Inspector event={inspected.event} tab={tab} onTabChange={setTab} now={now} />}
      {inspected.status === 'loading' && (
        <p className="fs-inspector__status" role="status" data-testid={inspectorMarkers.status}>
          Loading event…
        </p>
      )}
      {inspected.status === 'error' && <InspectorError eventId={eventId} error={inspected.error} />}
    </aside>
  );
}

function InspectorError({ eventId, error }: { eventId: string; error: unknown }) {
  const { message, hint } = describeError(error);
  return (
    <div className="fs-inspector__status" role="alert" data-testid={inspectorMarkers.status}>
      <p className="fs-warning">{message}</p>
      <p className="fs-muted">
        {hint ?? 'The server keeps a limited buffer of recent events; older ones cannot be inspected.'}
      </p>
      <p className="fs-muted">
        Event id: <code>{eventId}</code>
      </p>
    </div>
  );
}
