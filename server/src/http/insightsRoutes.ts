import type { InsightsResponse } from '@flowscope/shared';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './options.js';

/** The architecture insights (ADR 0027): idempotency, consistency, ordering, schemas, dead letters. */
export function insightsRoutes(app: FastifyInstance, o: AppOptions) {
  app.get('/api/insights', async (): Promise<InsightsResponse> =>
    o.queries.insights(o.queries.topology(o.sources.consumers(), o.sources.links())),
  );
}
