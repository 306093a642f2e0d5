import type { FlowEvent } from '@flowscope/shared';
import type { ReactNode } from 'react';
import { TabPanel, Tabs, type TabItem } from '../../components/Tabs';
import { formatClock } from '../../lib/format';
import { HeadersTable } from './HeadersTable';
import { inspectorMarkers } from './inspector.markers';
import { MetadataList } from './MetadataList';
import { PayloadView } from './PayloadView';
import './inspector.css';

export type InspectorTab = 'payload' | 'headers' | 'metadata';

/** A tab a view adds after the standard ones (the trace view's Diff). */
type ExtraInspectorTab<T extends string> = Readonly<{
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
  const headerCount = Object.keys(event.headers).length;
  const tabs: readonly TabItem<InspectorTab | T>[] = [
    { id: 'payload', label: 'Payload', testId: inspectorMarkers.tab('payload') },
    { id: 'headers', label: `Headers (${headerCount})`, testId: inspectorMarkers.tab('headers') },
    { id: 'metadata', label: 'Metadata', testId: inspectorMarkers.tab('metadata') },
    ...extraTabs.map((t) => ({ id: t.id, label: t.label, testId: t.testId })),
  ];
  const extra = extraTabs.find((t) => t.id === tab);

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
      <Tabs tabs={tabs} selected={tab} onSelect={onTabChange} label="Event details" idPrefix="inspector" />
      <TabPanel idPrefix="inspector" selected={tab} className="fs-inspector__body">
        {tab === 'payload' && <PayloadView payload={event.payload} />}
        {tab === 'headers' && <HeadersTable headers={event.headers} />}
        {tab === 'metadata' && <MetadataList event={event} now={now} />}
        {extra?.content}
      </TabPanel>
    </>
  );
}
