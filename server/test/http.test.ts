import type { Flow, FlowEvent, FlowSummary, LiveEventBatch, SubscribeAck, Topology } from '@flowscope/shared';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { shopServices } from '../src/sources/demo/catalog.js';
import { api, eventually, liveClient, startFlowscope, TOKEN, type LiveClient } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startFlowscope(['--demo-rate', '20']);
  await eventually(async () =>
    (await api<{ events: unknown[] }>(server, '/api/events')).body.events.length > 20 ? true : undefined,
  );
});
afterAll(() => server.close());

const connected = (c: LiveClient) =>
  new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('connect_error', (e) => reject(e));
  });
const subscribe = (c: LiveClient, afterSeq?: number) =>
  new Promise<SubscribeAck>((resolve) => c.emit('subscribe', afterSeq === undefined ? {} : { afterSeq }, resolve));

describe('HTTP API v1', () => {
  it('reports health with every source', async () => {
    const { status, body } = await api<{ status: string; sources: { id: string; state: string }[] }>(
      server,
      '/api/health',
    );
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.sources).toMatchObject([{ id: 'demo', state: 'connected' }]);
  });

  it('pages events newest first, at most 500', async () => {
    const first = await api<{ events: FlowEvent[]; nextCursor?: string }>(server, '/api/events?limit=5');
    expect(first.body.events).toHaveLength(5);
    const seqs = first.body.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const next = await api<{ events: FlowEvent[] }>(server, `/api/events?limit=5&before=${first.body.nextCursor}`);
    expect(next.body.events[0]?.seq).toBe((seqs.at(-1) ?? 0) - 1);
    expect((await api(server, '/api/events?limit=abc')).status).toBe(400);
    const one = await api<FlowEvent>(server, `/api/events/${encodeURIComponent(first.body.events[0]?.id ?? '')}`);
    expect(one.body.id).toBe(first.body.events[0]?.id);
  });

  it('looks up an event and a flow by an id of 300 characters (a topic name alone may be 249)', async () => {
    // Fastify's default limit for a path parameter, 100, answered its own 404 before the route ran.
    const long = 'x'.repeat(300);
    const event = await api<{ error: string }>(server, `/api/events/${long}`);
    expect(event.status).toBe(404);
    expect(event.body.error).toBe('not-found');
    const flow = await api<{ error: string }>(server, `/api/flows/${long}`);
    expect(flow.body.error).toBe('not-found');
  });

  it('draws the six demo services with their channels on the map', async () => {
    const all = Object.keys(shopServices);
    expect(all).toHaveLength(6);
    // An order takes about a second to walk through all six services.
    const body = await eventually(
      async () => {
        const { body } = await api<Topology>(server, '/api/topology');
        const services = body.nodes.filter((n) => n.kind === 'service').map((n) => n.name);
        return all.every((s) => services.includes(s)) ? body : undefined;
      },
      10_000,
      'all six services',
    );
    expect(body.nodes.filter((n) => n.kind === 'channel').map((n) => n.name)).toEqual(
      expect.arrayContaining(['orders', 'inventory', 'payments', 'shipments', 'notifications', 'analytics']),
    );
    expect(body.edges.some((e) => e.kind === 'consumes' && e.evidence.includes('inferred-causality'))).toBe(true);
  });
});

describe('filters and time ranges', () => {
  it('filters events with an expression over fields, headers and payload', async () => {
    const filter = encodeURIComponent('channel == "payments" && payload.amount > 0 && has(headers.traceparent)');
    const { status, body } = await api<{ events: FlowEvent[] }>(server, `/api/events?limit=50&filter=${filter}`);
    expect(status).toBe(200);
    expect(body.events.length).toBeGreaterThan(0);
    for (const e of body.events) expect(e.channel).toBe('payments');
  });

  it('explains a syntax error with its position', async () => {
    const { status, body } = await api<{ error: string; message: string; hint: string }>(
      server,
      `/api/events?filter=${encodeURIComponent('channel == "payments" &&& x')}`,
    );
    expect(status).toBe(400);
    expect(body.error).toBe('bad-filter');
    expect(body.message).toMatch(/column \d+/);
    expect(body.hint).toContain('^');
  });

  it('limits events to a time range', async () => {
    const newest = (await api<{ events: FlowEvent[] }>(server, '/api/events?limit=20')).body.events;
    const cut = newest[10]?.timestamp ?? 0;
    const older = (await api<{ events: FlowEvent[] }>(server, `/api/events?limit=500&until=${cut}`)).body.events;
    expect(older.length).toBeGreaterThan(0);
    expect(older.every((e) => e.timestamp < cut)).toBe(true);
    const iso = new Date(cut).toISOString();
    const newer = (await api<{ events: FlowEvent[] }>(server, `/api/events?limit=500&since=${iso}`)).body.events;
    expect(newer.every((e) => e.timestamp >= cut)).toBe(true);
    expect((await api(server, '/api/events?since=yesterday')).status).toBe(400);
  });

  it('serves an OpenAPI document that lists every route', async () => {
    const { body } = await api<{ openapi: string; paths: Record<string, unknown> }>(server, '/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/events',
        '/api/events/{id}',
        '/api/flows',
        '/api/flows/{id}',
        '/api/topology',
        '/api/catalog',
      ]),
    );
  });
});

describe('flows API', () => {
  it('finds the flow of a demo order by its order id and returns it with events across services and hops', async () => {
    // Wait for an order that got at least as far as payment.
    const flow = await eventually(
      async () => {
        const { body } = await api<{ flows: FlowSummary[] }>(server, '/api/flows?limit=200');
        return body.flows.find((f) => f.kind === 'order.placed' && f.services.includes('payment-service'));
      },
      15_000,
      'a flow that reached payment',
    );
    const orderId = flow.keys.find((k) => k.name === 'orderId')?.value ?? '';
    expect(orderId).toMatch(/^[A-Z]{3}-\d+$/);

    const found = await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${encodeURIComponent(orderId)}`);
    expect(found.body.flows.map((f) => f.id)).toEqual([flow.id]);
    // Any key works: the correlation id from the order's headers finds the same flow.
    const corr = flow.keys.find((k) => k.name === 'correlationId')?.value ?? '';
    expect(
      (await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${encodeURIComponent(corr)}`)).body.flows[0]?.id,
    ).toBe(flow.id);

    const detail = await api<Flow>(server, `/api/flows/${encodeURIComponent(flow.id)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.events[0]?.type).toBe('order.placed');
    expect(
      detail.body.events.every((e) => e.correlation.keys.some((k) => k.value === orderId) || e.correlation.causationId),
    ).toBe(true);
    expect(detail.body.hops.length).toBe(detail.body.events.length - 1);
    expect(detail.body.hops.every((h) => !h.inferred)).toBe(true);
  });

  it('answers 404 with a hint for an unknown flow, and serves the catalog with engine stats', async () => {
    const missing = await api<{ hint: string }>(server, '/api/flows/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.hint).toMatch(/search/);
    const cat = await api<{ kinds: unknown[]; stats: { events: number; flows: number } }>(server, '/api/catalog');
    expect(cat.body.stats.events).toBeGreaterThan(0);
    expect(cat.body.stats.flows).toBeGreaterThan(0);
  });
});

describe('security baseline', () => {
  it('refuses every route without the token, and with a wrong one', async () => {
    for (const path of ['/api/health', '/api/events', '/api/topology', '/']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(401);
      expect((await fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    }
  });

  it('refuses a request from another origin even with the token', async () => {
    const res = await api<{ error: string }>(server, '/api/health', { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('origin-not-allowed');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve) => {
      const req = request(
        `${server.url}/api/health`,
        { headers: { host: 'evil.example', authorization: `Bearer ${TOKEN}` } },
        (res) => resolve(res.statusCode),
      );
      req.end();
    });
    expect(status).toBe(421);
  });

  it('turns the token in the opened URL into an HttpOnly cookie and removes it from the address', async () => {
    const res = await fetch(`${server.url}/?token=${TOKEN}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toMatch(/flowscope_token=.*HttpOnly; SameSite=Strict/);
  });

  it('sends a strict CSP without unsafe-eval, nosniff and no framing', async () => {
    const res = await fetch(`${server.url}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a live socket without the token, or from another origin', async () => {
    const noToken = liveClient(server, { token: 'wrong' });
    await expect(connected(noToken)).rejects.toThrow(/unauthorized/);
    noToken.close();
    const evil = liveClient(server, { origin: 'https://evil.example' });
    await expect(connected(evil)).rejects.toThrow();
    evil.close();
  });

  it('accepts sockets on no namespace but the authenticated live one', async () => {
    // The default namespace carries nothing, but accepted every socket (and held its memory).
    for (const token of ['wrong', TOKEN]) {
      const root = io(`${server.url}/`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
      }) as LiveClient;
      await expect(connected(root)).rejects.toThrow(/only the \/live namespace/);
      root.close();
    }
    const other = io(`${server.url}/other`, {
      auth: { token: TOKEN },
      transports: ['websocket'],
      reconnection: false,
    }) as LiveClient;
    await expect(connected(other)).rejects.toThrow(/Invalid namespace/);
    other.close();
  });
});

describe('live stream', () => {
  it('streams events in batches, with the map, after subscribing', async () => {
    const client = liveClient(server);
    const batches: LiveEventBatch[] = [];
    let topology: Topology | undefined;
    client.on('events', (b) => batches.push(b));
    client.on('topology', (t) => (topology = t));
    await connected(client);
    const ack = await subscribe(client);
    expect(ack.ok).toBe(true);
    await eventually(
      () => (batches.reduce((n, b) => n + b.events.length, 0) > 10 ? true : undefined),
      10_000,
      'live events',
    );
    // Batched: fewer messages than events.
    expect(batches.length).toBeLessThan(batches.reduce((n, b) => n + b.events.length, 0));
    expect(topology?.nodes.length).toBeGreaterThan(0);
    client.close();
  });

  it('resumes after the last seq a client saw, without duplicates or holes', async () => {
    const first = liveClient(server);
    const seen: number[] = [];
    first.on('events', (b) => seen.push(...b.events.map((e) => e.seq)));
    await connected(first);
    await subscribe(first);
    await eventually(() => (seen.length > 5 ? true : undefined), 10_000, 'first events');
    first.close();
    const lastSeen = Math.max(...seen);
    await new Promise((r) => setTimeout(r, 500)); // events flow while the client is away

    const second = liveClient(server);
    const resumed: number[] = [];
    let skipped = 0;
    second.on('events', (b) => {
      resumed.push(...b.events.map((e) => e.seq));
      skipped += b.skipped;
    });
    await connected(second);
    await subscribe(second, lastSeen);
    await eventually(() => (resumed.length > 10 ? true : undefined), 10_000, 'resumed events');
    second.close();
    expect(skipped).toBe(0);
    expect(resumed[0]).toBe(lastSeen + 1);
    resumed.forEach((s, i) => expect(s).toBe(lastSeen + 1 + i));
  });

  it('sends a subscriber only the events its filter matches', async () => {
    const client = liveClient(server);
    const events: FlowEvent[] = [];
    client.on('events', (b) => events.push(...b.events));
    await connected(client);
    const ack = await new Promise<SubscribeAck>((resolve) =>
      client.emit('subscribe', { filter: 'channel == "shipments"' }, resolve),
    );
    expect(ack.ok).toBe(true);
    await eventually(() => (events.length >= 3 ? true : undefined), 15_000, 'shipment events');
    client.close();
    expect(new Set(events.map((e) => e.channel))).toEqual(new Set(['shipments']));
  });

  it('refuses a subscription with a broken filter, saying where', async () => {
    const client = liveClient(server);
    await connected(client);
    const ack = await new Promise<SubscribeAck>((resolve) =>
      client.emit('subscribe', { filter: 'chanel == "x"' }, resolve),
    );
    expect(ack).toMatchObject({ ok: false, error: expect.stringMatching(/invalid filter: .*channel/) });
    client.close();
  });

  it('rejects a malformed subscribe request with a clear message', async () => {
    const client = liveClient(server);
    await connected(client);
    const ack = await new Promise<SubscribeAck>((resolve) =>
      client.emit('subscribe', { afterSeq: -4 } as never, resolve),
    );
    expect(ack).toMatchObject({ ok: false, error: expect.stringMatching(/invalid subscribe request/) });
    client.close();
  });
});
