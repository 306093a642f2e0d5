import type { ApiError } from '@flowscope/shared';
import type { FastifyReply } from 'fastify';

/** Sends an API error: a typed reason, what went wrong, and what to do. */
export const apiError = (reply: FastifyReply, status: number, body: ApiError) => reply.code(status).send(body);
