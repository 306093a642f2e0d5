import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './options.js';
import { apiError } from './errors.js';

/** The built web app, with client-side routes (deep links) falling back to index.html. */
export async function webApp(app: FastifyInstance, o: AppOptions) {
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
}
