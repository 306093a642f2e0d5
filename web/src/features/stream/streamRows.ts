import { channelNodeId, compileFilter, type CompiledFilter, type FilterError, type FlowEvent } from '@flowscope/shared';
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

/** How the filter box reads its text: a plain substring, or the filter language the server uses. */
export type FilterMode = 'text' | 'expr';

export const parseFilterMode = (value: string | null): FilterMode => (value === 'expr' ? 'expr' : 'text');

// Operators that plain text rarely contains; a hint offers expression mode, it never switches by itself.
const EXPRESSION_MARKS = ['==', '!=', '&&', '||', '>=', '<=', '('];

/** Whether text typed in text mode reads like an expression, e.g. `channel == "payments"`. */
export const looksLikeExpression = (text: string): boolean => EXPRESSION_MARKS.some((m) => text.includes(m));

/** The filter box compiled for its mode. A blank box is `all` in either mode. */
export type StreamQuery =
  | Readonly<{ kind: 'all' }>
  | Readonly<{ kind: 'text'; needle: string }>
  | Readonly<{ kind: 'expr'; filter: CompiledFilter }>
  | Readonly<{ kind: 'invalid'; error: FilterError }>;

export const ALL: StreamQuery = { kind: 'all' };

/** Compiles the filter box; never throws: an expression that does not compile is `invalid` with its error. */
export function compileQuery(text: string, mode: FilterMode): StreamQuery {
  if (!text.trim()) return ALL;
  if (mode === 'text') return { kind: 'text', needle: text.trim().toLowerCase() };
  const compiled = compileFilter(text);
  return compiled.ok ? { kind: 'expr', filter: compiled.filter } : { kind: 'invalid', error: compiled.error };
}

export type RowFilter = Readonly<{ query: StreamQuery; node: NodeFilter | null }>;

// Events never change, so a filter's verdict on one is worked out once: with thousands of rows
// and several arrivals a second, parsing every payload again on each arrival would add up.
const verdicts = new WeakMap<CompiledFilter, WeakMap<FlowEvent, boolean>>();

function matchesExpression(event: FlowEvent, filter: CompiledFilter): boolean {
  let known = verdicts.get(filter);
  if (!known) verdicts.set(filter, (known = new WeakMap()));
  let verdict = known.get(event);
  if (verdict === undefined) known.set(event, (verdict = filter.test(event)));
  return verdict;
}

function matchesQuery(event: FlowEvent, query: StreamQuery): boolean {
  if (query.kind === 'text') return matchesText(event, query.needle);
  if (query.kind === 'expr') return matchesExpression(event, query.filter);
  return true;
}

/** Whether the query narrows the rows at all (an invalid one filters nothing by itself). */
export const isNarrowing = (query: StreamQuery): boolean => query.kind === 'text' || query.kind === 'expr';

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

/**
 * Rows that pass the filters; gap markers always stay, a gap is never hidden. An `invalid` query
 * filters nothing: the caller decides what to show meanwhile (see useStreamQuery).
 */
export function filterRows(rows: readonly LiveItem[], filter: RowFilter): readonly LiveItem[] {
  const { query, node } = filter;
  if (!isNarrowing(query) && !node) return rows;
  return rows.filter((item) => isGap(item) || ((!node || matchesNode(item, node)) && matchesQuery(item, query)));
}

export const rowKey = (item: LiveItem): string => (isGap(item) ? item.id : `e:${item.id}`);

export const countEvents = (rows: readonly LiveItem[]): number => rows.reduce((n, r) => (isGap(r) ? n : n + 1), 0);

export const indexOfEvent = (rows: readonly LiveItem[], id: string): number =>
  rows.findIndex((r) => !isGap(r) && r.id === id);
