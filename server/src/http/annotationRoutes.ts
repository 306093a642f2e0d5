import { annotationInputSchema, type AnnotationsResponse, type GapsResponse } from '@flowscope/shared';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './options.js';
import { apiError } from './errors.js';

/** Notes people write on kinds, steps, services and channels; and the gaps where continuity was lost. */
export function annotationRoutes(app: FastifyInstance, o: AppOptions) {
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
}
