import type { ApiError, SubscribeAck } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { api, liveClient, startFlowscope, type LiveClient } from './helpers.js';

let server: RunningServer;
// Its own server: the wrong tokens sent here use up the allowance of 127.0.0.1 on it.
beforeAll(async () => {
  server = await startFlowscope(['--demo-rate', '20']);
});
afterAll(() => server.close());

const wrong = { authorization: 'Bearer not-the-token' };

/** How a live socket's handshake ends: connected, or refused with the server's message and data. */
const handshake = (c: LiveClient) =>
  new Promise<{ connected: true } | { connected: false; message: string; data?: unknown }>((resolve) => {
    c.once('connect', () => resolve({ connected: true }));
    c.once('connect_error', (e) =>
      resolve({ connected: false, message: e.message, data: (e as { data?: unknown }).data }),
    );
  });

describe('wrong tokens, rate-limited per address', () => {
  it('answers a burst of wrong tokens 401, then 429 with Retry-After and what to do; the right token always passes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await api(server, '/api/health', { headers: wrong })).status);
    expect(statuses.every((s) => s === 401)).toBe(true);

    const res = await fetch(`${server.url}/api/health`, { headers: wrong });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as ApiError;
    expect(body.error).toBe('too-many-wrong-tokens');
    expect(body.message).toMatch(/Too many wrong access tokens/);
    expect(body.hint).toMatch(/URL the server printed/);

    // The flood shares 127.0.0.1 with the user's browser: the right token is served all the same.
    expect((await api(server, '/api/health')).status).toBe(200);
    expect((await api(server, '/api/health', { headers: wrong })).status).toBe(429);
  });

  it('refuses live handshakes with a wrong token while limited, and still lets the right token stream', async () => {
    const intruder = liveClient(server, { token: 'not-the-token' });
    const refused = await handshake(intruder);
    intruder.close();
    expect(refused).toMatchObject({
      connected: false,
      message: expect.stringMatching(/^unauthorized \(too-many-wrong-tokens\)/),
      data: { error: 'too-many-wrong-tokens', retryAfterS: expect.any(Number) },
    });

    const user = liveClient(server);
    expect(await handshake(user)).toEqual({ connected: true });
    const ack = await new Promise<SubscribeAck>((resolve) => user.emit('subscribe', {}, resolve));
    expect(ack.ok).toBe(true);
    const batch = await new Promise((resolve) => user.once('events', resolve));
    expect(batch).toBeDefined();
    user.close();
  });
});
