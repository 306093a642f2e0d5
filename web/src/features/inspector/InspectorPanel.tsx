import { useState } from 'react';
import { describeError } from '../../lib/api';
import { useNow } from '../../lib/useNow';
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
