import fastifyStatic from '@fastify/static';
import {
  EVENTS_DEFAULT_LIMIT,
  EVENTS_MAX_LIMIT,
  FLOWS_DEFAULT_LIMIT,
  type CatalogResponse,
  type ConsumersResponse,
  type FlowsResponse,
  annotationInputSchema,
  channelEntries,
  compileFilter,
  type AnnotationsResponse,
  type ApiError,
  type FlowEvent,
  type Gap,
  type GapsResponse,
  type EventsResponse,
  type HealthResponse,
} from '@flowscope/shared';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Queries } from '../ingest/queries.js';
import type { Annotations } from '../ingest/annotations.js';
import { exportRoutes } from './exportRoutes.js';
import { openApiDocument } from './openapi.js';
import type { SourceRegistry } from '../sourceRegistry.js';
import {
  TOKEN_COOKIE,
  hostAllowed,
  originAllowed,
  presentedToken,
  securityHeaders,
  tokenFromUrl,
  tokenMatches,
  type SecurityOptions,
} from './security.js';

export type AppOptions = {
  readonly queries: Queries;
  readonly sources: SourceRegistry;
  readonly security: SecurityOptions;
  readonly version: string;
  readonly webDir?: string;
  /** Persisted gaps, newest first. */
  readonly gaps?: (limit: number) => Gap[];
  readonly annotations: Annotations;
};

const apiError = (reply: FastifyReply, status: number, body: ApiError) => reply.code(status).send(body);

/** HTTP: API v1 and the built web app, every route behind host, origin and token checks. */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });

  app.addHook('onRequest', async (req, reply) => {
    for (const [k, v] of Object.entries(securityHeaders)) void reply.header(k, v);
    if (!hostAllowed(req.headers.host, o.security)) {
      return apiError(reply, 421, {
        error: 'host-not-allowed',
        message: `Host ${req.headers.host ?? '(none)'} is not served here.`,
        hint: 'Open Flowscope through the URL it printed at startup.',
      });
    }
    if (!originAllowed(req.headers.origin, o.security)) {
      return apiError(reply, 403, {
        error: 'origin-not-allowed',
        message: `Requests from ${req.headers.origin} are refused.`,
        hint: 'Only the Flowscope page itself may call this server.',
      });
    }
    const token = presentedToken(req.headers, req.url);
    if (!tokenMatches(token, o.security)) {
      const wantsHtml = !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
      if (wantsHtml) {
        return reply
          .code(401)
          .type('text/plain; charset=utf-8')
          .send(
            'Flowscope needs its access token.\n\nOpen the URL that the server printed at startup (it ends with ?token=...),\nor set FLOWSCOPE_TOKEN and open http://HOST:PORT/?token=<that token>.\n',
          );
      }
      return apiError(reply, 401, {
        error: 'unauthorized',
        message: 'Missing or wrong access token.',
        hint: 'Send "Authorization: Bearer <token>" with the token the server printed.',
      });
    }
    // First visit with ?token=: keep it in an HttpOnly cookie and drop it from the address bar.
    if (req.method === 'GET' && !req.url.startsWith('/api/') && tokenFromUrl(req.url)) {
      const url = new URL(req.url, 'http://x');
      url.searchParams.delete('token');
      void reply.header(
        'set-cookie',
        `${TOKEN_COOKIE}=${encodeURIComponent(o.security.token)}; Path=/; HttpOnly; SameSite=Strict`,
      );
      return reply.redirect(`${url.pathname}${url.search}`, 303);
    }
  });

  app.get('/api/openapi.json', async () => openApiDocument(o.version));

  app.get('/api/health', async (): Promise<HealthResponse> => ({
    status: 'ok',
    version: o.version,
    sources: o.sources.list(),
  }));

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

  app.get('/api/topology', async () => o.queries.topology(o.sources.consumers()));
  app.get('/api/consumers', async () => {
    const body: ConsumersResponse = { consumers: o.sources.consumers() };
    return body;
  });
  // The path of API v1 before consumers were broker-neutral: the same consumers, as `groups`.
  app.get('/api/consumer-groups', async () => {
    const body = { groups: o.sources.consumers() };
    return body;
  });

  exportRoutes(app, o);

  app.get('/api/annotations', async (): Promise<AnnotationsResponse> => ({ annotations: o.annotations.list() }));
  app.put('/api/annotations', async (req, reply) => {
    const parsed = annotationInputSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return apiError(reply, 400, {
        error: 'bad-annotation',
        message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
        hint: 'Send JSON {"target": "kind:<kind>" | "step:<kind>/<type@channel>" | "service:<name>" | "channel:<map node id>", "title": "…", "description": "…"}.',
      });
    }
    return o.annotations.put(parsed.data, Date.now());
  });
  app.delete<{ Querystring: { target?: string } }>('/api/annotations', async (req, reply) => {
    const target = req.query.target ?? '';
    if (!o.annotations.delete(target))
      return apiError(reply, 404, { error: 'not-found', message: `No annotation on ${target || '(no target)'}.` });
    return reply.code(204).send();
  });

  app.get('/api/gaps', async (): Promise<GapsResponse> => ({ gaps: o.gaps?.(500) ?? [] }));

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

  app.get('/api/catalog', async (): Promise<CatalogResponse> => ({
    kinds: o.queries.kinds(),
    channels: channelEntries(o.queries.channelCatalog, o.queries.topology(o.sources.consumers())),
    stats: o.queries.correlationStats(),
  }));

  const webDir = o.webDir;
  const hasWeb = webDir !== undefined && existsSync(join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, index: 'index.html', wildcard: false });

  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return apiError(reply, 404, {
        error: 'not-found',
        message: `${req.method} ${req.url.split('?')[0]} is not an API route.`,
      });
    }
    // Client-side routes (deep links) all load the app.
    if (hasWeb) return reply.type('text/html').sendFile('index.html');
    return reply
      .code(503)
      .type('text/plain')
      .send('The web app is not built. Run `pnpm build` (or `npm start`, which builds it).\n');
  });

  return app;
}

/** ISO 8601 or epoch ms; undefined when absent, NaN when unreadable. */
function parseTime(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
}
