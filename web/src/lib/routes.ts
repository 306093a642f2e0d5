/**
 * Every URL of the app in one place. A flow id is an event id (`demo/shop/orders/…`), so it is
 * written segment by segment after `/trace/` or `/tour/`: readable, shareable, and every odd
 * character escaped.
 */

export const LIVE_ROOT = '/';
export const TRACE_ROOT = '/trace';
export const CATALOG_ROOT = '/catalog';
export const TOUR_ROOT = '/tour';
export const ENTITY_ROOT = '/entity';
export const INSIGHTS_ROOT = '/insights';

/**
 * The router decodes the path before matching it, and its `*` matches no line break: a `%` or a
 * line break of the id (a channel may hold one) is encoded once more, and `flowIdOf` reads it back.
 */
const flowSegments = (flowId: string) =>
  flowId
    .replace(/[%\r\n\u2028\u2029]/g, encodeURIComponent)
    .split('/')
    .map(encodeURIComponent)
    .join('/');

/** The flow id of a `/trace/*` or `/tour/*` address, from the router's splat (written by `flowSegments`). */
export const flowIdOf = (splat: string) =>
  splat.replace(/\/+$/, '').replace(/%(25|0D|0A|E2%80%A8|E2%80%A9)/gi, (code) => decodeURIComponent(code));

/** One flow in the trace view, with view state such as `step` (empty values left out). */
export function tracePath(flowId: string, params: Readonly<Record<string, string | null | undefined>> = {}): string {
  const path = `${TRACE_ROOT}/${flowSegments(flowId)}`;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** The trace search, for a key value (order id, trace id, correlation id) or empty. */
export function traceSearchPath(query: string): string {
  const q = query.trim();
  return q ? `${TRACE_ROOT}?${new URLSearchParams({ q }).toString()}` : TRACE_ROOT;
}

/** The tour of a flow; `step` is 1-based and left out for the first. */
export function tourPath(flowId: string, step?: number): string {
  const path = `${TOUR_ROOT}/${flowSegments(flowId)}`;
  return step && step > 1 ? `${path}?step=${step}` : path;
}

/** The history of one entity: the events carrying a key value (`key` narrows it to one key name). */
export function entityPath(value: string, name?: string, step?: number): string {
  const search = new URLSearchParams({ ...(name ? { key: name } : {}), value });
  if (step && step > 1) search.set('step', String(step));
  return `${ENTITY_ROOT}?${search.toString()}`;
}

/** The sections of the insights page, each an anchor (`/insights#ordering`). */
export type InsightsSection =
  'findings' | 'idempotency' | 'consistency' | 'ordering' | 'schema' | 'semantics' | 'dead-letters';

/** The insights page, scrolled to one of its sections. */
export const insightsPath = (section?: InsightsSection): string =>
  section ? `${INSIGHTS_ROOT}#${section}` : INSIGHTS_ROOT;

/** A moment in an address (`at`, `window`): positive epoch (or duration) ms, else null. */
export function momentOf(text: string | null): number | null {
  const n = text === null ? NaN : Number(text);
  return Number.isFinite(n) && n > 0 ? n : null;
}
