import type { FlowEvent } from '@flowscope/shared';
import { useRef, type KeyboardEvent } from 'react';
import { formatClock } from '../../lib/format';
import { HeadersTable } from './HeadersTable';
import { inspectorMarkers } from './inspector.markers';
import { MetadataList } from './MetadataList';
import { PayloadView } from './PayloadView';

export const inspectorTabs = ['payload', 'headers', 'metadata'] as const;
export type InspectorTab = (typeof inspectorTabs)[number];

type InspectorProps = Readonly<{
  event: FlowEvent;
  tab: InspectorTab;
  onTabChange: (tab: InspectorTab) => void;
  now: number;
}>;

function KeyLine({ event }: { event: FlowEvent }) {
  if (!event.key) return <span className="fs-muted">no key</span>;
  if (event.key.value === '') return <span className="fs-muted">empty key</span>;
  return (
    <>
      <code className="fs-inspector__key">{event.key.value}</code>
      {event.key.encoding === 'hex' && <span className="fs-badge fs-badge--quiet">hex</span>}
    </>
  );
}

/** One event: summary line, then payload, headers and metadata as tabs. */
export function Inspector({ event, tab, onTabChange, now }: InspectorProps) {
  const tabRefs = useRef<Partial<Record<InspectorTab, HTMLButtonElement | null>>>({});
  const headerCount = Object.keys(event.headers).length;
  const labels: Record<InspectorTab, string> = {
    payload: 'Payload',
    headers: `Headers (${headerCount})`,
    metadata: 'Metadata',
  };

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = inspectorTabs.indexOf(tab);
    const next =
      inspectorTabs[(i + (e.key === 'ArrowRight' ? 1 : inspectorTabs.length - 1)) % inspectorTabs.length] ?? 'payload';
    onTabChange(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <>
      <div className="fs-inspector__summary">
        <div className="fs-inspector__title" title={event.type}>
          {event.type ?? 'untyped event'}
        </div>
        <div className="fs-inspector__subtitle">
          <span className="fs-pill-inline">{event.channel}</span>
          {event.producer && <span className="fs-muted">from {event.producer}</span>}
          <span className="fs-muted">{formatClock(event.timestamp)}</span>
        </div>
        <div className="fs-inspector__keyline">
          <span className="fs-muted">Key</span> <KeyLine event={event} />
        </div>
      </div>
      <div className="fs-tabs" role="tablist" aria-label="Event details" onKeyDown={onTabKey}>
        {inspectorTabs.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`inspector-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`inspector-panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            className="fs-tabs__tab"
            data-testid={inspectorMarkers.tab(t)}
            onClick={() => onTabChange(t)}
          >
            {labels[t]}
          </button>
        ))}
      </div>
      <div
        className="fs-inspector__body"
        role="tabpanel"
        id={`inspector-panel-${tab}`}
        aria-labelledby={`inspector-tab-${tab}`}
      >
        {tab === 'payload' && <PayloadView payload={event.payload} />}
        {tab === 'headers' && <HeadersTable headers={event.headers} />}
        {tab === 'metadata' && <MetadataList event={event} now={now} />}
      </div>
    </>
  );
}
