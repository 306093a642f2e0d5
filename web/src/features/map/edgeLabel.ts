import { formatCount, formatRate } from '../../lib/format';
import { consumersText, lagAmount, unknownLag } from './consumers/consumerText';
import { EVIDENCE_LABELS } from './edgeFilter';
import type { MapEdgeData } from './toFlowElements';

/** Lag (messages) from which a consumer is flagged as falling behind. */
export const LAG_WARN_AT = 1_000;

/** How a consumes edge's lag reads: none reported, known and fine, known and large, or unknown (nothing committed). */
export type LagLevel = 'none' | 'ok' | 'warn' | 'unknown';

export function lagLevel(lag: number | null | undefined): LagLevel {
  if (lag === undefined) return 'none';
  if (lag === null) return 'unknown';
  return lag >= LAG_WARN_AT ? 'warn' : 'ok';
}

type LabelData = Pick<MapEdgeData, 'inferred' | 'rate' | 'lag'>;

/** The text on an edge: `2.0/s`, `inferred · 2.0/s`, `lag 5 · 2.0/s`, `lag ? · 0.0/s`. */
export function edgeLabel(data: LabelData): string {
  const parts: string[] = [];
  if (data.lag !== undefined) parts.push(`lag ${data.lag === null ? '?' : formatCount(data.lag)}`);
  else if (data.inferred) parts.push('inferred');
  parts.push(formatRate(data.rate));
  return parts.join(' · ');
}

/** Longest keys text drawn on a route; the tooltip has them all. */
const ROUTE_LABEL_MAX = 24;

type RouteData = Pick<MapEdgeData, 'evidence' | 'labels'>;

/** A route's keys or arguments; one per binding, any of them routes a message (hence ` | `). */
const keysOf = (data: RouteData) => (data.labels ?? []).filter(Boolean);
const isDeadLetter = (data: RouteData) => data.evidence.includes('dead-letter');

/**
 * The text on a route between channels: its keys where short (`order.* | order.paid`), else the
 * first (cut) and how many more; a dead-letter route says so. Empty for a binding without a key (fanout).
 */
export function routeLabel(data: RouteData): string {
  const keys = keysOf(data);
  let text = keys.join(' | ');
  if (text.length > ROUTE_LABEL_MAX) {
    const first = keys[0] ?? '';
    const cut = first.length > ROUTE_LABEL_MAX ? `${first.slice(0, ROUTE_LABEL_MAX - 1)}…` : first;
    text = keys.length > 1 ? `${cut} +${keys.length - 1}` : cut;
  }
  if (!isDeadLetter(data)) return text;
  return text ? `dead letters · ${text}` : 'dead letters';
}

/** A route's tooltip: which way the broker moves messages, selected by what, and who says so. */
function routeTooltip(data: RouteData & Pick<MapEdgeData, 'sourceName' | 'targetName'>): string {
  const keys = keysOf(data);
  const parts: string[] = [];
  if (isDeadLetter(data))
    parts.push(
      `dead letters: ${data.sourceName} sends the messages it rejects or expires to ${data.targetName}`,
      keys.length > 0 ? `routing key ${keys.join(' | ')}` : 'with their own routing keys',
    );
  if (data.evidence.includes('binding'))
    parts.push(
      `binding: ${data.sourceName} routes to ${data.targetName}`,
      keys.length > 0 ? `messages matching ${keys.join(' | ')}` : 'every message (no key)',
    );
  const evidence = data.evidence.map((k) => EVIDENCE_LABELS[k]).join(', ');
  parts.push(`evidence: ${evidence} (read from the broker)`);
  return parts.join(' · ');
}

type TooltipData = Pick<
  MapEdgeData,
  'kind' | 'evidence' | 'inferred' | 'count' | 'rate' | 'lag' | 'consumers' | 'labels' | 'sourceName' | 'targetName'
>;

/** The edge's tooltip: what it is, who says so, and for broker consumers which ones (by kind) and how far behind. */
export function edgeTooltip(data: TooltipData): string {
  if (data.kind === 'routes') return routeTooltip(data);
  const parts: string[] = [data.kind];
  const consumers = data.consumers ?? [];
  if (consumers.length > 0) parts.push(consumersText(consumers));
  if (data.lag !== undefined) {
    const broker = consumers.find((c) => c.broker)?.broker;
    parts.push(
      data.lag === null
        ? `lag unknown: ${unknownLag(broker)}`
        : `lag ${lagAmount(broker, data.lag)}${data.lag >= LAG_WARN_AT ? ' (falling behind)' : ''}`,
    );
  }
  const evidence = data.evidence.map((k) => EVIDENCE_LABELS[k]).join(', ') || 'none';
  const how = data.inferred ? ' (a service reacted to messages from this channel)' : '';
  parts.push(`evidence: ${evidence}${how}`);
  // A consumer alone is read from the broker, not observed in events.
  if (data.count > 0 || consumers.length === 0) parts.push(`${formatCount(data.count)} observations`);
  parts.push(formatRate(data.rate));
  return parts.join(' · ');
}
