import { formatClock } from '../../lib/format';
import type { ProtocolError } from '../../stores/liveStore';
import { PillPopover } from './PillPopover';
import { statusMarkers } from './status.markers';

/** Data from the server that did not match the protocol: shown, not swallowed, never fatal. */
export function ProtocolErrors({ errors }: { errors: readonly ProtocolError[] }) {
  if (errors.length === 0) return null;
  return (
    <PillPopover
      label={`⚠ ${errors.length} invalid message${errors.length === 1 ? '' : 's'}`}
      tone="fs-pill--disconnected"
      testId={statusMarkers.protocolErrors}
      region="Invalid messages from the server"
    >
      <p className="fs-popover__hint">
        These messages from the server did not match the expected shape and were left out. The web app and the server
        may be from different versions.
      </p>
      <ul className="fs-popover__errors">
        {errors.map((e) => (
          <li key={e.id}>
            <span className="fs-muted">{formatClock(e.at)}</span> <strong>{e.what}</strong>: {e.message}
          </li>
        ))}
      </ul>
    </PillPopover>
  );
}
