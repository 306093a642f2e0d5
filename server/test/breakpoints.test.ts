import {
  isDeadLettered,
  isFailure,
  type Breakpoint,
  type BreakpointHit,
  type Flow,
  type FlowEvent,
} from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, liveClient, startFlowscope, type LiveClient } from './helpers.js';

type Server = Awaited<ReturnType<typeof startFlowscope>>;

const post = (server: Server, body: unknown) =>
  api<Breakpoint & { message?: string; error?: string }>(server, '/api/breakpoints', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const patch = (server: Server, id: string, body: unknown) =>
  api<Breakpoint>(server, `/api/breakpoints/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A subscribed live client that records the seqs it received and the hits, in arrival order. */
async function watcher(server: Server) {
  const client: LiveClient = liveClient(server);
  const seen = new Set<number>();
  const hits: { hit: BreakpointHit; hadEvent: boolean }[] = [];
  let lists: (readonly Breakpoint[])[] = [];
  client.on('events', (batch) => batch.events.forEach((e) => seen.add(e.seq)));
  client.on('breakpointHit', (hit) => hits.push({ hit, hadEvent: seen.has(hit.seq) }));
  client.on('breakpoints', (list) => (lists = [...lists, list]));
  await new Promise<void>((resolve, reject) => {
    client.on('connect', () =>
      client.emit('subscribe', {}, (ack) => (ack.ok ? resolve() : reject(new Error(ack.error)))),
    );
    client.on('connect_error', reject);
  });
  return { client, hits, lists: () => lists };
}

describe('breakpoints', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startFlowscope(['--demo', '--demo-rate', '60']);
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuse what is not a breakpoint, saying why', async () => {
    const bad = await post(server, { expression: 'type ==' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('bad-expression');
    expect(bad.body.message).toMatch(/expected|end/i);
    const neither = await post(server, { label: 'nothing to match' });
    expect(neither.status).toBe(400);
    expect(neither.body.message).toMatch(/either an expression or a condition/);
    const unknown = await post(server, { condition: 'slow' });
    expect(unknown.status).toBe(400);
    expect((await patch(server, 'bp-none', { enabled: false })).status).toBe(404);
  });

  it('stop every view at an event that matches, after the batch that holds it, counting hits', async () => {
    const live = await watcher(server);
    try {
      const set = await post(server, { expression: 'type == "payment.failed"', label: 'failing payment' });
      expect(set.status).toBe(201);
      expect(set.body).toMatchObject({ enabled: true, hits: 0, expression: 'type == "payment.failed"' });
      const id = set.body.id;
      // The list reaches open views as soon as it changes.
      await eventually(() => live.lists().find((l) => l.some((b) => b.id === id)), 5_000, 'the list pushed');

      const first = await eventually(() => live.hits.find((h) => h.hit.breakpointId === id), 30_000, 'a hit');
      expect(first.hadEvent).toBe(true);
      expect(first.hit.reason).toBe('matched type == "payment.failed"');
      const event = await api<FlowEvent>(server, `/api/events/${encodeURIComponent(first.hit.eventId)}`);
      expect(event.body).toMatchObject({ seq: first.hit.seq, type: 'payment.failed' });
      const flow = await api<Flow>(server, `/api/flows/${encodeURIComponent(first.hit.flowId)}`);
      expect(flow.body.events.map((e) => e.id)).toContain(first.hit.eventId);

      const listed = await eventually(
        async () => {
          const { body } = await api<{ breakpoints: Breakpoint[] }>(server, '/api/breakpoints');
          const b = body.breakpoints.find((x) => x.id === id);
          return b && b.hits >= 1 ? b : undefined;
        },
        5_000,
        'the hit counted',
      );
      expect(listed.lastHit?.eventId).toBeDefined();

      // Disabled, it no longer fires; removed, it is gone.
      const off = await patch(server, id, { enabled: false });
      expect(off.body.enabled).toBe(false);
      await new Promise((r) => setTimeout(r, 100)); // a hit of an event taken before, still on its way
      const hitsThen = live.hits.filter((h) => h.hit.breakpointId === id).length;
      const { body: before } = await api<{ events: FlowEvent[] }>(server, '/api/events?limit=1');
      await eventually(
        async () => {
          const { body } = await api<{ events: FlowEvent[] }>(
            server,
            `/api/events?limit=1&filter=${encodeURIComponent(`type == "payment.failed" && seq > ${before.events[0]?.seq ?? 0}`)}`,
          );
          return body.events.length > 0 ? true : undefined;
        },
        30_000,
        'a failed payment after disabling',
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(live.hits.filter((h) => h.hit.breakpointId === id).length).toBe(hitsThen);
      expect((await api(server, `/api/breakpoints/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await api(server, `/api/breakpoints/${id}`, { method: 'DELETE' })).status).toBe(404);
    } finally {
      live.client.close();
    }
  });

  it('fire on a flow condition: a flow that fails', async () => {
    const live = await watcher(server);
    try {
      const set = await post(server, { condition: 'failed' });
      expect(set.status).toBe(201);
      const hit = await eventually(() => live.hits.find((h) => h.hit.breakpointId === set.body.id), 30_000, 'a hit');
      expect(hit.hit.reason).toMatch(/flow failed$/);
      // The event it stopped at is the failure (the flow may have moved on since: a retry, a cancel).
      const event = await api<FlowEvent>(server, `/api/events/${encodeURIComponent(hit.hit.eventId)}`);
      expect(isFailure(event.body) || isDeadLettered(event.body)).toBe(true);
      const flow = await api<Flow>(server, `/api/flows/${encodeURIComponent(hit.hit.flowId)}`);
      expect(flow.body.events.map((e) => e.id)).toContain(hit.hit.eventId);
      await api(server, `/api/breakpoints/${set.body.id}`, { method: 'DELETE' });
    } finally {
      live.client.close();
    }
  });
});
