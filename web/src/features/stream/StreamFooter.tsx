import { formatCount } from '../../lib/format';
import { MAX_LIVE_ITEMS } from '../../stores/liveStore';

type StreamFooterProps = Readonly<{
  shown: number;
  total: number;
  filtering: boolean;
  /** History came from the server already filtered by the expression, so `total` counts only its matches. */
  historyFiltered: boolean;
  dropped: number;
  paused: boolean;
}>;

/** Counts, so a filtered or capped list never looks complete when it is not. */
export function StreamFooter({ shown, total, filtering, historyFiltered, dropped, paused }: StreamFooterProps) {
  return (
    <div className="fs-stream__footer">
      <span>
        {filtering ? `${formatCount(shown)} of ${formatCount(total)} events match` : `${formatCount(total)} events`}
        {historyFiltered && (
          <span title="Events from before this page opened were searched on the server with the same expression; only their matches were fetched and counted">
            {' · older events filtered by the server'}
          </span>
        )}
        {paused && ' · paused'}
      </span>
      {dropped > 0 && (
        <span title={`The browser keeps the newest ${formatCount(MAX_LIVE_ITEMS)} events`}>
          {formatCount(dropped)} older events dropped from view
        </span>
      )}
    </div>
  );
}
