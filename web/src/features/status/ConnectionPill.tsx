import type { ConnectionState } from '../../stores/liveStore';
import { statusMarkers } from './status.markers';

const LABEL: Readonly<Record<ConnectionState['status'], string>> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
};

/** State of the live connection to the Flowscope server, with the reason when it is not live. */
export function ConnectionPill({ connection }: { connection: ConnectionState }) {
  const { status, reason, problem } = connection;
  return (
    <div className="fs-status-item">
      <span
        className={`fs-pill fs-pill--${status}`}
        data-testid={statusMarkers.connection}
        data-state={status}
        data-problem={problem}
        role="status"
        title={reason}
      >
        <span className="fs-pill__dot" aria-hidden="true" />
        {LABEL[status]}
      </span>
      {status !== 'connected' && reason && <span className="fs-status-reason">{reason}</span>}
    </div>
  );
}
