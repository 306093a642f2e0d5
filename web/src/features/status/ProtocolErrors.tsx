import { useCallback, useRef, useState } from 'react';
import { useDismiss } from '../../components/useDismiss';
import { formatClock } from '../../lib/format';
import type { ProtocolError } from '../../stores/liveStore';
import { statusMarkers } from './status.markers';

/** Data from the server that did not match the protocol: shown, not swallowed, never fatal. */
export function ProtocolErrors({ errors }: { errors: readonly ProtocolError[] }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  useDismiss(
    rootRef,
    open,
    useCallback(() => setOpen(false), []),
  );
  if (errors.length === 0) return null;
  return (
    <div className="fs-source" ref={rootRef}>
      <button
        type="button"
        className="fs-pill fs-pill--disconnected fs-pill--button"
        data-testid={statusMarkers.protocolErrors}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        ⚠ {errors.length} invalid message{errors.length === 1 ? '' : 's'}
      </button>
      {open && (
        <div className="fs-popover fs-popover--end" role="region" aria-label="Invalid messages from the server">
          <p className="fs-popover__hint">
            These messages from the server did not match the expected shape and were left out. The web app and the
            server may be from different versions.
          </p>
          <ul className="fs-popover__errors">
            {errors.map((e) => (
              <li key={e.id}>
                <span className="fs-muted">{formatClock(e.at)}</span> <strong>{e.what}</strong>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
