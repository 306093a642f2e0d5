import { useState } from 'react';
import { Link } from 'react-router';
import { SidePanel } from '../../components/SidePanel';
import { BreakOnEventButton } from '../debug';
import { describeError } from '../../lib/api';
import { useNow } from '../../lib/useNow';
import { tracePath } from '../../lib/routes';
import { Inspector, type InspectorTab } from './Inspector';
import { inspectorMarkers } from './inspector.markers';
import { useInspectedEvent } from './useInspectedEvent';
import './inspector.css';

type InspectorPanelProps = Readonly<{
  eventId: string;
  onClose: () => void;
  /** The past moment the view shows (time travel): the flow is traced as it was then. */
  at?: number | null;
}>;

/** Side panel for the event in the URL; finds it live or fetches it. */
export function InspectorPanel({ eventId, onClose, at = null }: InspectorPanelProps) {
  const inspected = useInspectedEvent(eventId);
  const [tab, setTab] = useState<InspectorTab>('payload');
  const now = useNow();

  return (
    <SidePanel
      className="fs-inspector"
      title="Inspector"
      label="Event inspector"
      testId={inspectorMarkers.root}
      data={{ 'data-event-id': eventId }}
      actions={
        // The trace view resolves an event id to its flow and then shows the flow's own id.
        <>
          {inspected.status === 'ready' && <BreakOnEventButton event={inspected.event} />}
          <Link
            className="fs-button fs-button--small"
            to={tracePath(eventId, { step: eventId, at: at === null ? null : String(at) })}
            title="Follow this event's flow across services"
            data-testid={inspectorMarkers.traceFlow}
          >
            Trace this flow →
          </Link>
        </>
      }
      onClose={onClose}
      closeLabel="Close inspector (Esc)"
      closeTestId={inspectorMarkers.close}
    >
      {inspected.status === 'ready' && <Inspector event={inspected.event} tab={tab} onTabChange={setTab} now={now} />}
      {inspected.status === 'loading' && (
        <p className="fs-side-panel__status" role="status" data-testid={inspectorMarkers.status}>
          Loading event…
        </p>
      )}
      {inspected.status === 'error' && <InspectorError eventId={eventId} error={inspected.error} />}
    </SidePanel>
  );
}

function InspectorError({ eventId, error }: { eventId: string; error: unknown }) {
  const { message, hint } = describeError(error);
  return (
    <div className="fs-side-panel__status" role="alert" data-testid={inspectorMarkers.status}>
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
