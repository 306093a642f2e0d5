import {
  EVENTS_DEFAULT_LIMIT,
  EVENTS_MAX_LIMIT,
  compileFilter,
  type CompiledFilter,
  type EventsResponse,
  type FlowEvent,
} from '@flowscope/shared';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './options.js';
import { apiError } from './errors.js';

/** `GET /api/events` (newest first, filtered, paged) and `GET /api/events/:id`. */
export function eventRoutes(app: FastifyInstance, o: AppOptions) {
  app.get<{ Querystring: { limit?: string; before?: string; since?: string; until?: string; filter?: string } }>(
    '/api/events',
    async (req, reply) => {
      const q = req.query;
      const limit = q.limit === undefined ? EVENTS_DEFAULT_LIMIT : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > EVENTS_MAX_LIMIT) {
        return apiError(reply, 400, {
          error: 'bad-limit',
          message: `limit must be a whole number from 1 to ${EVENTS_MAX_LIMIT}.`,
        });
      }
      const before = q.before === undefined ? undefined : Number(q.before);
      if (before !== undefined && !Number.isInteger(before)) {
        return apiError(reply, 400, {
          error: 'bad-cursor',
          message: 'before must be the nextCursor of a previous page.',
        });
      }
      const since = parseTime(q.since);
      const until = parseTime(q.until);
      if (Number.isNaN(since) || Number.isNaN(until)) {
        return apiError(reply, 400, {
          error: 'bad-time',
          message: 'since and until take an ISO 8601 time (2026-11-22T10:00:00Z) or epoch milliseconds.',
        });
      }
      let compiled: CompiledFilter | undefined;
      if (q.filter?.trim()) {
        const result = compileFilter(q.filter);
        if (!result.ok) {
          const e = result.error;
          return apiError(reply, 400, { error: 'bad-filter', message: e.message, hint: `${e.excerpt}` });
        }
        compiled = result.filter;
      }
      const body: EventsResponse = await filteredEvents(o, {
        limit,
        ...(before !== undefined ? { before } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(compiled ? { filter: compiled } : {}),
      });
      return body;
    },
  );

  app.get<{ Params: { id: string } }>('/api/events/:id', async (req, reply) => {
    const event = o.queries.event(req.params.id);
    return (
      event ?? apiError(reply, 404, { error: 'not-found', message: `No buffered event with id ${req.params.id}.` })
    );
  });
}

/** A filter's work in one slice of a scan, between which the server answers others (about 60 ms). */
const SLICE_STEPS = 1_000_000;
/** A filter's work for one request (a few seconds); past it the page ends with a notice and a cursor. */
const REQUEST_STEPS = 50_000_000;

type Scan = { limit: number; before?: number; since?: number; until?: number; filter?: CompiledFilter };

/**
 * The newest events matching, scanned in slices of a filter's work with the event loop free in
 * between: a costly filter over a long history never holds the server (health, ingest, other
 * requests). Its work per request is bounded too: past it the page ends early, with a notice
 * and a cursor to go on from.
 */
async function filteredEvents(o: AppOptions, scan: Scan): Promise<EventsResponse> {
  const { filter, ...range } = scan;
  const events: FlowEvent[] = [];
  let before = range.before;
  for (;;) {
    const start = filter?.spent ?? 0;
    const page = o.queries.events({
      ...range,
      limit: scan.limit - events.length,
      ...(before !== undefined ? { before } : {}),
      ...(filter ? { filter: (e: FlowEvent) => filter.test(e), pause: () => filter.spent - start > SLICE_STEPS } : {}),
    });
    events.push(...page.events);
    const cursor = page.nextCursor;
    // Only a slice that stopped for the filter's work goes on: a page ends as it always did.
    const paused = filter !== undefined && filter.spent - start > SLICE_STEPS;
    if (cursor === undefined || events.length >= scan.limit || !paused) {
      return { events, ...(cursor !== undefined ? { nextCursor: String(cursor) } : {}) };
    }
    if (filter.spent > REQUEST_STEPS) {
      return {
        events,
        nextCursor: String(cursor),
        notice: `The filter did as much work as one request may (${REQUEST_STEPS.toLocaleString('en-US')} steps) before the page was full: these are the matches so far. Ask again with before=${cursor} to go on, or narrow the filter (a time range, a channel) so it has less to do.`,
      };
    }
    before = cursor;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** ISO 8601 or epoch ms; undefined when absent, NaN when unreadable. */
function parseTime(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
}
