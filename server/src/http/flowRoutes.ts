import {
  ENTITY_MAX_EVENTS,
  EVENTS_MAX_LIMIT,
  FLOWS_DEFAULT_LIMIT,
  channelEntries,
  type CatalogResponse,
  type ConsumersResponse,
  type FlowsResponse,
} from '@flowscope/shared';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './options.js';
import { apiError } from './errors.js';

/** The map, consumers, flows and the catalog. */
export function flowRoutes(app: FastifyInstance, o: AppOptions) {
  app.get('/api/topology', async () => o.queries.topology(o.sources.consumers(), o.sources.links()));
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

  app.get<{ Params: { id: string } }>('/api/flows/:id', async (req, reply) => {
    const flow = o.queries.flow(req.params.id);
    return (
      flow ??
      apiError(reply, 404, {
        error: 'not-found',
        message: `No flow ${req.params.id} is retained.`,
        hint: 'Flows are kept while they are recent; search by an order id or another key with /api/flows?key=…',
      })
    );
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
