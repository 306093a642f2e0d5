import { isoTime } from '@flowscope/shared';
import type { FlowSummary } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatClock, formatCount, formatDuration, formatRelative } from '../../lib/format';
import { tracePath } from '../../lib/routes';
import { AnomalyChip, DeadLetterBadge, StatusBadge } from './badges';
import { isDeadLetteredFlow } from './flowSteps';
import { displayKeys } from './suggestions';
import { traceMarkers } from './trace.markers';

const KEYS_SHOWN = 3;

/** One flow in a list of results: what it is, how it went, and what to look at. */
export function FlowResultItem({ flow, now }: { flow: FlowSummary; now: number }) {
  const keys = displayKeys(flow.keys);
  return (
    <li>
      <Link
        to={tracePath(flow.id)}
        className="fs-tresult"
        data-testid={traceMarkers.resultItem}
        data-flow-id={flow.id}
        data-status={flow.status}
      >
        <span className="fs-tresult__head">
          <span className="fs-tresult__kind">{flow.kind}</span>
          <StatusBadge status={flow.status} />
          {isDeadLetteredFlow(flow) && <DeadLetterBadge />}
        </span>
        <span className="fs-tresult__keys">
          {keys.slice(0, KEYS_SHOWN).map((k) => (
            <span key={`${k.name}=${k.value}`} className="fs-chip fs-chip--static">
              <span className="fs-chip__label">{k.name}</span>
              <span className="fs-chip__value">{k.value}</span>
            </span>
          ))}
          {keys.length > KEYS_SHOWN && <span className="fs-muted">+{keys.length - KEYS_SHOWN}</span>}
        </span>
        <span className="fs-tresult__time" title={isoTime(flow.start)}>
          <span>{formatClock(flow.start)}</span>
          <span className="fs-muted">{formatRelative(flow.start, now)}</span>
        </span>
        <span className="fs-tresult__facts">
          <span title="Duration">{formatDuration(flow.durationMs)}</span>
          <span className="fs-muted">·</span>
          <span>
            {formatCount(flow.eventCount)} event{flow.eventCount === 1 ? '' : 's'}
          </span>
          <span className="fs-muted">·</span>
          <span className="fs-tresult__services" title={flow.services.join(' → ')}>
            {flow.services.join(' → ') || 'no producer known'}
          </span>
        </span>
        <span className="fs-tresult__anomalies">
          {flow.anomalyKinds.map((k) => (
            <AnomalyChip key={k} kind={k} />
          ))}
        </span>
      </Link>
    </li>
  );
}
