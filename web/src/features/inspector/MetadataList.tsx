import type { FlowEvent } from '@flowscope/shared';
import type { ReactNode } from 'react';
import { formatBytes, formatCount, formatRelative } from '../../lib/format';
import { inspectorMarkers } from './inspector.markers';

const none = <span className="fs-muted">—</span>;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const iso = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
};

/** Where and when the event was seen, and everything that ties it to a flow. */
export function MetadataList({ event, now }: { event: FlowEvent; now: number }) {
  const { correlation: c } = event;
  const lagMs = event.receivedAt - event.timestamp;
  return (
    <dl className="fs-meta" data-testid={inspectorMarkers.metadataSection}>
      <Row label="Id">
        <code className="fs-meta__code">{event.id}</code>
      </Row>
      <Row label="Channel">{event.channel}</Row>
      <Row label="Key">
        {!event.key ? (
          <span className="fs-muted">no key</span>
        ) : (
          <>
            <code className="fs-meta__code">{event.key.value}</code>{' '}
            <span className="fs-muted">({event.key.encoding === 'hex' ? 'hex of non-UTF-8 bytes' : 'text'})</span>
          </>
        )}
      </Row>
      <Row label="Source">
        {event.source.broker} · {event.source.cluster}
      </Row>
      <Row label="Partition">{event.partition ?? none}</Row>
      <Row label="Offset">{event.offset ?? none}</Row>
      <Row label="Timestamp">
        <code className="fs-meta__code">{iso(event.timestamp)}</code>{' '}
        <span className="fs-muted">({formatRelative(event.timestamp, now)})</span>
      </Row>
      <Row label="Received">
        <code className="fs-meta__code">{iso(event.receivedAt)}</code>{' '}
        <span className="fs-muted">
          ({lagMs >= 0 ? `+${formatCount(lagMs)} ms` : `${formatCount(lagMs)} ms`} after timestamp)
        </span>
      </Row>
      <Row label="Seq">{formatCount(event.seq)}</Row>
      <Row label="Producer">{event.producer ?? none}</Row>
      <Row label="Type">{event.type ?? none}</Row>
      <Row label="Correlation">
        {c.keys.length === 0 ? (
          none
        ) : (
          <span className="fs-chips">
            {c.keys.map((k) => (
              <span key={`${k.name}=${k.value}`} className="fs-chip fs-chip--static">
                <span className="fs-chip__label">{k.name}</span>
                <span className="fs-chip__value">{k.value}</span>
              </span>
            ))}
          </span>
        )}
      </Row>
      <Row label="Trace id">{c.traceId ? <code className="fs-meta__code">{c.traceId}</code> : none}</Row>
      <Row label="Causation id">{c.causationId ? <code className="fs-meta__code">{c.causationId}</code> : none}</Row>
      <Row label="Message id">{c.messageId ? <code className="fs-meta__code">{c.messageId}</code> : none}</Row>
      <Row label="Size">
        {formatBytes(event.payload.size)} <span className="fs-muted">({formatCount(event.payload.size)} bytes)</span>
      </Row>
      <Row label="SHA-256">
        <code className="fs-meta__code fs-meta__hash">{event.payload.sha256}</code>
      </Row>
    </dl>
  );
}
