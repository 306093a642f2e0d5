import {
  EVENTS_DEFAULT_LIMIT,
  EVENTS_MAX_LIMIT,
  compileFilter,
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
      let filter: ((e: FlowEvent) => boolean) | undefined;
      if (q.filter?.trim()) {
        const compiled = compileFilter(q.filter);
        if (!compiled.ok) {
          const e = compiled.error;
          return apiError(reply, 400, { error: 'bad-filter', message: e.message, hint: `${e.excerpt}` });
        }
        filter = (e) => compiled.filter.test(e);
      }
      const { events, nextCursor } = o.queries.events({
        limit,
        ...(before !== undefined ? { before } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(filter ? { filter } : {}),
      });
      const body: EventsResponse = { events, ...(nextCursor !== undefined ? { nextCursor: String(nextCursor) } : {}) };
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

/** ISO 8601 or epoch ms; undefined when absent, NaN when unreadable. */
function parseTime(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
}
