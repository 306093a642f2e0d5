import type { StoreStatus } from '@flowscope/shared';
import { PillPopover } from './PillPopover';
import { statusMarkers } from './status.markers';

/**
 * Shown while history cannot be written (disk full, a read-only data directory): the live view
 * goes on from memory, and the user learns why history is not being kept and what to do, rather
 * than finding out after a restart. Nothing when writing works or history is off by choice.
 */
export function StorePill({ store }: { store: StoreStatus | undefined }) {
  if (store?.state !== 'failing') return null;
  const waiting = store.unwritten.toLocaleString('en');
  return (
    <PillPopover
      label="⚠ History not being saved"
      tone="fs-pill--disconnected"
      testId={statusMarkers.store}
      region="History not being saved"
    >
      <p className="fs-popover__hint">
        Flowscope cannot write to {store.dir ? <code>{store.dir}</code> : 'its data directory'}: {store.reason}
      </p>
      <p className="fs-popover__hint">
        The live view goes on. {waiting} event{store.unwritten === 1 ? ' waits' : 's wait'} in memory and will be
        written as soon as writing works again: free disk space or make the directory writable.
      </p>
    </PillPopover>
  );
}
