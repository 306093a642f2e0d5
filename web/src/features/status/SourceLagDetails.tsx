import type { SourceLag } from '@flowscope/shared';
import { formatClock, formatCount } from '../../lib/format';
import { lagLong, lagSeconds } from './lagText';
import { statusMarkers } from './status.markers';

/**
 * Flowscope's own lag on one source, per partition or stream, in its panel; "not applicable"
 * for a source with no end of log (queues, MQTT, core NATS), never 0.
 */
export function SourceLagDetails({ lag }: { lag: SourceLag | undefined }) {
  if (!lag)
    return (
      <p className="fs-popover__hint" data-testid={statusMarkers.sourceLag} data-lag="not-applicable">
        Lag: not applicable. What this source reads has no end of log to measure against.
      </p>
    );
  return (
    <div data-testid={statusMarkers.sourceLag} data-lag={lag.notice ? 'falling-behind' : String(lag.records)}>
      {lag.notice && <p className="fs-warning">{lag.notice}</p>}
      <table className="fs-lag-table">
        <caption>
          Flowscope&apos;s lag: {lagLong(lag)} <span className="fs-muted">at {formatClock(lag.measuredAt)}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Partition</th>
            <th scope="col">Records behind</th>
            <th scope="col">Time behind</th>
          </tr>
        </thead>
        <tbody>
          {lag.channels.map((c) => (
            <tr key={`${c.channel}\0${c.partition ?? ''}`} data-testid={statusMarkers.sourceLagRow}>
              <th scope="row">
                <code>{c.channel}</code>
              </th>
              <td>{c.partition ?? <span className="fs-muted">—</span>}</td>
              <td>{formatCount(c.records)}</td>
              <td>{lagSeconds(c.seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
