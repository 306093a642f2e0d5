import {
  breakpointInputSchema,
  breakpointPatchSchema,
  type Breakpoint,
  type BreakpointsResponse,
} from '@flowscope/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { apiError } from './errors.js';
import type { AppOptions } from './options.js';

const HINT =
  'Send JSON {"expression": "<filter, as in the stream>"} or {"condition": "failed" | "stuck" | "anomaly"}, with "label" and "enabled" if you like.';

const badBody = (reply: FastifyReply, error: z.ZodError, hint: string) => {
  const issue = error.issues[0];
  return apiError(reply, 400, {
    error: 'bad-breakpoint',
    message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    hint,
  });
};

/** Breakpoints over live traffic: set, listed, enabled or disabled, removed. */
export function breakpointRoutes(app: FastifyInstance, o: AppOptions) {
  const notFound = (reply: FastifyReply, id: string) =>
    apiError(reply, 404, {
      error: 'not-found',
      message: `No breakpoint ${id}.`,
      hint: 'GET /api/breakpoints lists them.',
    });

  app.get('/api/breakpoints', async (): Promise<BreakpointsResponse> => ({ breakpoints: o.breakpoints.list() }));

  app.post('/api/breakpoints', async (req, reply) => {
    const parsed = breakpointInputSchema.safeParse(req.body);
    if (!parsed.success) return badBody(reply, parsed.error, HINT);
    const added = o.breakpoints.add(parsed.data, Date.now());
    if (!added.ok)
      return apiError(reply, added.error === 'too-many' ? 409 : 400, {
        error: added.error,
        message: added.message,
        ...(added.error === 'bad-expression' ? { hint: 'The language is the stream filter’s: see its help (?).' } : {}),
      });
    return reply.code(201).send(added.breakpoint);
  });

  app.patch<{ Params: { id: string } }>('/api/breakpoints/:id', async (req, reply): Promise<Breakpoint> => {
    const parsed = breakpointPatchSchema.safeParse(req.body);
    if (!parsed.success) return badBody(reply, parsed.error, 'Send JSON {"enabled": true | false, "label": "…"}.');
    return o.breakpoints.update(req.params.id, parsed.data) ?? notFound(reply, req.params.id);
  });

  app.delete<{ Params: { id: string } }>('/api/breakpoints/:id', async (req, reply) => {
    if (!o.breakpoints.remove(req.params.id)) return notFound(reply, req.params.id);
    return reply.code(204).send();
  });
}
