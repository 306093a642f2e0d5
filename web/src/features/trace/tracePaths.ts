/**
 * URLs of the trace view. A flow id is an event id (`demo/shop/orders/…`), so it is written
 * segment by segment after `/trace/`: readable, shareable, and every odd character escaped.
 */

export const TRACE_ROOT = '/trace';

export function tracePath(flowId: string, params: Readonly<Record<string, string | null | undefined>> = {}): string {
  const path = `${TRACE_ROOT}/${flowId.split('/').map(encodeURIComponent).join('/')}`;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export function traceSearchPath(query: string): string {
  const q = query.trim();
  return q ? `${TRACE_ROOT}?${new URLSearchParams({ q }).toString()}` : TRACE_ROOT;
}
