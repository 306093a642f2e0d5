import type { FlowEvent } from '@flowscope/shared';
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { formatClock } from '../../lib/format';
import { HeadersTable } from './HeadersTable';
import { inspectorMarkers } from './inspector.markers';
import { MetadataList } from './MetadataList';
import { PayloadView } from './PayloadView';

export const inspectorTabs = ['payload', 'headers', 'metadata'] as const;
export type InspectorTab = (typeof inspectorTabs)[number];

/** A tab a view adds after the standard ones (the trace view's Diff). */
export type ExtraInspectorTab<T extends string> = Readonly<{
  id: T;
  label: string;
  content: ReactNode;
  testId?: string;
}>;

type InspectorProps<T extends string> = Readonly<{
  event: FlowEvent;
  tab: InspectorTab | NoInfer<T>;
  onTabChange: (tab: InspectorTab | NoInfer<T>) => void;
  now: number;
  extraTabs?: readonly ExtraInspectorTab<T>[];
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
export function Inspector<T extends string = never>({
  event,
  tab,
  onTabChange,
  now,
  extraTabs = [],
}: InspectorProps<T>) {
  const tabRefs = useRef<Partial<Record<string, HTMLButtonElement | null>>>({});
  const headerCount = Object.keys(event.headers).length;
  const tabs: readonly { id: InspectorTab | T; label: string; testId: string | undefined }[] = [
    { id: 'payload', label: 'Payload', testId: inspectorMarkers.tab('payload') },
    { id: 'headers', label: `Headers (${headerCount})`, testId: inspectorMarkers.tab('headers') },
    { id: 'metadata', label: 'Metadata', testId: inspectorMarkers.tab('metadata') },
    ...extraTabs.map((t) => ({ id: t.id, label: t.label, testId: t.testId })),
  ];
  const extra = extraTabs.find((t) => t.id === tab);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]?.id ?? 'payload';
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
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`inspector-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`inspector-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="fs-tabs__tab"
            data-testid={t.testId}
            onClick={() => onTabChange(t.id)}
          >
            {t.label}
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
        {extra?.content}
      </div>
    </>
  );
}
