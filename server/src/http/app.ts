import type { HealthResponse } from '@flowscope/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { annotationRoutes } from './annotationRoutes.js';
import { breakpointRoutes } from './breakpointRoutes.js';
import { eventRoutes } from './eventRoutes.js';
import { exportRoutes } from './exportRoutes.js';
import { flowRoutes } from './flowRoutes.js';
import { insightsRoutes } from './insightsRoutes.js';
import { guard } from './guard.js';
import { openApiDocument } from './openapi.js';
import type { AppOptions } from './options.js';
import { webApp } from './webApp.js';

/** HTTP: API v1 and the built web app, every route behind host, origin and token checks. */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  // Ids hold channel names (a Kafka topic alone may be 249 characters): Fastify's default of 100
  // for a path parameter answered 404 for such events and flows. The URL itself stays under 16 KB.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, routerOptions: { maxParamLength: 16 * 1024 } });
  guard(app, o.security);
  app.get('/api/openapi.json', async () => openApiDocument(o.version));
  app.get('/api/health', async (): Promise<HealthResponse> => ({
    status: 'ok',
    version: o.version,
    sources: o.sources.list(),
    ...(o.store ? { store: o.store() } : {}),
    memory: { rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed },
    ...(o.traceUrl ? { links: { trace: o.traceUrl } } : {}),
  }));
  eventRoutes(app, o);
  flowRoutes(app, o);
  insightsRoutes(app, o);
  exportRoutes(app, o);
  annotationRoutes(app, o);
  breakpointRoutes(app, o);
  await webApp(app, o);
  return app;
}
