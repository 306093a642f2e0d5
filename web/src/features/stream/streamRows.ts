import { channelNodeId, type FlowEvent } from '@flowscope/shared';
import { isGap, type LiveItem } from '../../stores/liveStore';

/** What a map node filter means for the stream, parsed from its node id. */
export type NodeFilter = Readonly<{ id: string; kind: 'service' | 'channel'; name: string }>;

export function parseNodeFilter(id: string | null): NodeFilter | null {
  if (!id) return null;
  if (id.startsWith('service:')) return { id, kind: 'service', name: id.slice('service:'.length) };
  if (id.startsWith('channel:')) {
    // channel:<broker>/<cluster>/<channel>; the channel name itself may contain slashes.
    const parts = id.slice('channel:'.length).split('/');
    return { id, kind: 'channel', name: parts.slice(2).join('/') || id };
  }
  return null;
}

function matchesNode(event: FlowEvent, filter: NodeFilter): boolean {
  if (filter.kind === 'service') return event.producer === filter.name;
  return channelNodeId(event.source.broker, event.source.cluster, event.channel) === filter.id;
}

/** Plain, case-insensitive substring search; `needle` must already be lower-case. */
function matchesText(event: FlowEvent, needle: string): boolean {
  const fields = [event.id, event.channel, event.type, event.producer, event.key?.value];
  if (event.payload.encoding === 'json' || event.payload.encoding === 'text') fields.push(event.payload.value);
  return fields.some((f) => f !== undefined && f.toLowerCase().includes(needle));
}

export type RowFilter = Readonly<{ text: string; node: NodeFilter | null }>;

/**
 * Every row, newest first: the live items, then history fetched over HTTP (only what is older
 * than anything live, and only while nothing was dropped, so no hole hides between them).
 */
export function mergeRows(live: readonly LiveItem[], history: readonly FlowEvent[], dropped: number): LiveItem[] {
  const rows: LiveItem[] = [];
  for (let i = live.length - 1; i >= 0; i--) {
    const item = live[i];
    if (item) rows.push(item);
  }
  if (dropped > 0 || history.length === 0) return rows;
  let oldestLiveSeq = Number.POSITIVE_INFINITY;
  const liveIds = new Set<string>();
  for (const item of live) {
    if (isGap(item)) continue;
    liveIds.add(item.id);
    oldestLiveSeq = Math.min(oldestLiveSeq, item.seq);
  }
  const older = history.filter((e) => e.seq < oldestLiveSeq && !liveIds.has(e.id)).sort((a, b) => b.seq - a.seq);
  return rows.concat(older);
}

/** Rows that pass the filters; gap markers always stay, a gap is never hidden. */
export function filterRows(rows: readonly LiveItem[], filter: RowFilter): readonly LiveItem[] {
  const needle = filter.text.trim().toLowerCase();
  const node = filter.node;
  if (!needle && !node) return rows;
  return rows.filter(
    (item) => isGap(item) || ((!node || matchesNode(item, node)) && (!needle || matchesText(item, needle))),
  );
}

export const rowKey = (item: LiveItem): string => (isGap(item) ? item.id : `e:${item.id}`);

export const countEvents = (rows: readonly LiveItem[]): number => rows.reduce((n, r) => (isGap(r) ? n : n + 1), 0);

export const indexOfEvent = (rows: readonly LiveItem[], id: string): number =>
  rows.findIndex((r) => !isGap(r) && r.id === id);
