import type { AnomalyKind, FlowStatus } from '@flowscope/shared';
import { anomalyInfo, statusTone } from './anomalyStyle';
import { traceMarkers } from './trace.markers';

const statusLabel: Readonly<Record<FlowStatus, string>> = {
  open: 'open',
  completed: 'completed',
  failed: 'failed',
  stuck: 'stuck',
};

export function StatusBadge({ status }: { status: FlowStatus }) {
  return (
    <span
      className={`fs-tbadge fs-tone--${statusTone[status]}`}
      data-testid={traceMarkers.statusBadge}
      data-status={status}
    >
      {statusLabel[status]}
    </span>
  );
}

/** Shown next to the status: a message of this flow was parked on a dead-letter channel. */
export function DeadLetterBadge() {
  return (
    <span
      className="fs-tbadge fs-tbadge--dlq"
      data-testid={traceMarkers.deadLetterBadge}
      title="A message of this flow was parked on a dead-letter channel"
    >
      <span aria-hidden="true">☠</span> dead-lettered
    </span>
  );
}

export function AnomalyGlyph({ kind }: { kind: AnomalyKind }) {
  const info = anomalyInfo[kind];
  return (
    <span className={`fs-aglyph fs-tone--${info.tone}`} aria-hidden="true">
      {info.glyph}
    </span>
  );
}

export function AnomalyChip({ kind, count = 1 }: { kind: AnomalyKind; count?: number }) {
  const info = anomalyInfo[kind];
  return (
    <span className={`fs-achip fs-tone--${info.tone}`} data-kind={kind}>
      <AnomalyGlyph kind={kind} />
      {info.label}
      {count > 1 && <span className="fs-achip__count">×{count}</span>}
    </span>
  );
}
