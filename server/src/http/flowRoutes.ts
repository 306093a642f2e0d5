import {
  ENTITY_MAX_EVENTS,
  HISTORY_MAX_EVENTS,
  EVENTS_MAX_LIMIT,
  FLOWS_DEFAULT_LIMIT,
  channelEntries,
  consumerAt,
  withConsumers,
  boundTopology,
  MAP_BOUND,
  type CatalogResponse,
  type ConsumersResponse,
  type FlowsResponse,
} from '@flowscope/shared';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './options.js';
import { apiError } from './errors.js';

/** The window of events before a past moment that draws its map, unless the request says. */
const HISTORY_WINDOW_MS = 5 * 60_000;

/** The largest bound a request may ask for: beyond it, the whole map would be megabytes. */
const MAP_MAX_BOUND = 20_000;

/** The map now, within a bound the request may raise up to MAP_MAX_BOUND. */
function topologyRoute(app: FastifyInstance, o: AppOptions) {
  app.get<{ Querystring: Record<'services' | 'channels' | 'edges', string | undefined> }>(
    '/api/topology',
    async (req, reply) => {
      const bound = { ...MAP_BOUND };
      for (const part of ['services', 'channels', 'edges'] as const) {
        const text = req.query[part];
        if (text === undefined) continue;
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1 || n > MAP_MAX_BOUND) {
          return apiError(reply, 400, {
            error: 'bad-bound',
            message: `${part} must be a whole number from 1 to ${MAP_MAX_BOUND.toLocaleString('en')} (the map draws that many ${part} at most; the rest are grouped).`,
          });
        }
        bound[part] = n;
      }
      return boundTopology(o.queries.topology(o.sources.consumers(), o.sources.links()), bound);
    },
  );
}

/** The map, consumers, flows and the catalog. */
export function flowRoutes(app: FastifyInstance, o: AppOptions) {
  topologyRoute(app, o);
  app.get('/api/consumers', async () => {
    const body: ConsumersResponse = { consumers: o.sources.consumers() };
    return body;
  });
  // The path of API v1 before consumers were broker-neutral: the same consumers, as `groups`.
  app.get('/api/consumer-groups', async () => {
    const body = { groups: o.sources.consumers() };
    return body;
  });

  app.get<{ Querystring: { key?: string; limit?: string } }>('/api/flows', async (req, reply) => {
    const limit = req.query.limit === undefined ? FLOWS_DEFAULT_LIMIT : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > EVENTS_MAX_LIMIT) {
      return apiError(reply, 400, {
        error: 'bad-limit',
        message: `limit must be a whole number from 1 to ${EVENTS_MAX_LIMIT}.`,
      });
    }
    const key = req.query.key?.trim();
    const body: FlowsResponse = { flows: o.queries.flows(key || undefined, limit) };
    return body;
  });

  app.get<{ Params: { id: string }; Querystring: { at?: string } }>('/api/flows/:id', async (req, reply) => {
    const at = req.query.at === undefined ? undefined : Number(req.query.at);
    if (at !== undefined && !(Number.isFinite(at) && at >= 0))
      return apiError(reply, 400, { error: 'bad-moment', message: 'at must be a moment in epoch milliseconds.' });
    const flow = o.queries.flow(req.params.id, at);
    return (
      flow ??
      apiError(reply, 404, {
        error: 'not-found',
        message: `No flow ${req.params.id} is retained.`,
        hint: 'Flows are kept while they are recent; search by an order id or another key with /api/flows?key=…',
      })
    );
  });

  app.get<{ Querystring: { at?: string; window?: string } }>('/api/history', async (req, reply) => {
    const at = Number(req.query.at);
    const windowMs = req.query.window === undefined ? HISTORY_WINDOW_MS : Number(req.query.window);
    if (!Number.isFinite(at) || at < 0 || at > 8.64e15)
      return apiError(reply, 400, {
        error: 'bad-moment',
        message: 'at must be a moment in epoch milliseconds, e.g. ?at=1764300000000.',
      });
    if (!Number.isInteger(windowMs) || windowMs < 1000 || windowMs > 24 * 3600_000)
      return apiError(reply, 400, {
        error: 'bad-window',
        message: 'window must be a whole number of milliseconds from 1000 (1 s) to 86400000 (24 h).',
      });
    const past = o.queries.history(at, windowMs, HISTORY_MAX_EVENTS);
    // The consumers as their lag history had them then (only those it reaches back for).
    const consumers = o.sources.consumers().flatMap((c) => consumerAt(c, at) ?? []);
    return { ...past, topology: boundTopology(withConsumers(past.topology, consumers)) };
  });

  app.get<{ Querystring: { value?: string; key?: string } }>('/api/entity', async (req, reply) => {
    const value = req.query.value?.trim();
    if (!value)
      return apiError(reply, 400, {
        error: 'bad-entity',
        message: 'Name the entity: ?value=<key value>, and ?key=<key name> to take only that key.',
        hint: 'For example /api/entity?key=orderId&value=A-10012.',
      });
    const name = req.query.key?.trim();
    return o.queries.entity(value, name || undefined, ENTITY_MAX_EVENTS);
  });

  app.get('/api/catalog', async (): Promise<CatalogResponse> => ({
    kinds: o.queries.kinds(),
    channels: channelEntries(o.queries.channelCatalog, o.queries.topology(o.sources.consumers(), o.sources.links())),
    stats: o.queries.correlationStats(),
  }));
}
