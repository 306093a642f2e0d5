import type { FastifyInstance } from 'fastify';
import {
  TOKEN_COOKIE,
  hostAllowed,
  originAllowed,
  presentedToken,
  securityHeaders,
  tokenFromUrl,
  tokenMatches,
  type SecurityOptions,
} from '../security.js';
import { tooManyWrongTokens } from '../authLimiter.js';
import { apiError } from './errors.js';

/** Every request: security headers, then the Host, Origin and token checks (see ADR 0003). */
export function guard(app: FastifyInstance, security: SecurityOptions) {
  app.addHook('onRequest', async (req, reply) => {
    for (const [k, v] of Object.entries(securityHeaders)) void reply.header(k, v);
    if (!hostAllowed(req.headers.host, security)) {
      return apiError(reply, 421, {
        error: 'host-not-allowed',
        message: `Host ${req.headers.host ?? '(none)'} is not served here.`,
        hint: 'Open Flowscope through the URL it printed at startup.',
      });
    }
    if (!originAllowed(req.headers.origin, security)) {
      return apiError(reply, 403, {
        error: 'origin-not-allowed',
        message: `Requests from ${req.headers.origin} are refused.`,
        hint: 'Only the Flowscope page itself may call this server.',
      });
    }
    const token = presentedToken(req.headers, req.url);
    if (!tokenMatches(token, security)) {
      const verdict = security.wrongTokens.wrongToken(req.ip);
      if (verdict.limited) {
        const refusal = tooManyWrongTokens(security.wrongTokens, verdict.retryAfterMs);
        return apiError(reply.header('retry-after', String(refusal.retryAfterS)), 429, refusal.body);
      }
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
        `${TOKEN_COOKIE}=${encodeURIComponent(security.token)}; Path=/; HttpOnly; SameSite=Strict`,
      );
      return reply.redirect(`${url.pathname}${url.search}`, 303);
    }
  });
}
