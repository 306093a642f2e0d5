import type { EntityResponse, Flow, FlowEvent, FlowSummary, HistoryResponse } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startFlowscope } from './helpers.js';

describe('the history of one entity', () => {
  let server: Awaited<ReturnType<typeof startFlowscope>>;
  beforeAll(async () => {
    server = await startFlowscope(['--demo', '--demo-rate', '40']);
  });
  afterAll(async () => {
    await server.close();
  });

  it('is every event carrying the key value, oldest first, across the flows that hold it', async () => {
    const flow = await eventually(
      async () => {
        const { body } = await api<{ flows: FlowSummary[] }>(server, '/api/flows?limit=200');
        return body.flows.find((f) => f.eventCount >= 5);
      },
      30_000,
      'a flow of five events',
    );
    const orderId = flow.keys.find((k) => k.name === 'orderId')?.value ?? '';
    const { status, body } = await api<EntityResponse>(server, `/api/entity?key=orderId&value=${orderId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'orderId', value: orderId, truncated: false });
    expect(body.flowIds).toContain(flow.id);
    expect(body.events.length).toBeGreaterThanOrEqual(5);
    for (const e of body.events) expect(e.correlation.keys).toContainEqual({ name: 'orderId', value: orderId });
    const times = body.events.map((e) => e.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Another key name with that value is not this entity.
    const other = await api<EntityResponse>(server, `/api/entity?key=paymentId&value=${orderId}`);
    expect(other.body.events).toEqual([]);
  });

  it('asks for the value it needs', async () => {
    const r = await api<{ message: string }>(server, '/api/entity?key=orderId');
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/\?value=/);
  });

  it('shows a past moment: events up to it, newest first, and the map of the window before it', async () => {
    // A moment after an order was placed: a freshly started demo may not have one yet.
    await eventually(
      async () => {
        const { body } = await api<{ events: FlowEvent[] }>(server, '/api/events?limit=500');
        return body.events.find((e) => e.channel === 'orders' && e.timestamp < Date.now() - 1000);
      },
      30_000,
      'an order placed a second ago',
    );
    const at = Date.now() - 500;
    const { status, body } = await api<HistoryResponse>(server, `/api/history?at=${at}&window=60000`);
    expect(status).toBe(200);
    expect(body.events.length).toBeGreaterThan(0);
    expect(body.events.every((e) => e.timestamp <= at)).toBe(true);
    // Newest first as they arrived (seq): producers' clocks need not agree with arrival order.
    const seqs = body.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(body.topology.nodes.map((n) => n.name)).toContain('orders');
    expect(body.range?.oldest).toBeLessThanOrEqual(at);
    // Before anything happened, nothing.
    const before = await api<HistoryResponse>(
      server,
      `/api/history?at=${(body.range?.oldest ?? at) - 120_000}&window=60000`,
    );
    expect(before.body.events).toEqual([]);
    expect(before.body.topology.nodes).toEqual([]);
  });

  it('shows a flow as it was at a past moment: its events up to then', async () => {
    const summary = await eventually(
      async () => {
        const { body } = await api<{ flows: FlowSummary[] }>(server, '/api/flows?limit=200');
        return body.flows.find((f) => f.eventCount >= 5);
      },
      30_000,
      'a flow of five events',
    );
    const { body: now } = await api<Flow>(server, `/api/flows/${encodeURIComponent(summary.id)}`);
    const times = now.events.map((e) => e.timestamp).sort((a, b) => a - b);
    const at = times[2] as number;
    const { status, body: then } = await api<Flow>(server, `/api/flows/${encodeURIComponent(summary.id)}?at=${at}`);
    expect(status).toBe(200);
    expect(then.events.map((e) => e.id).sort()).toEqual(
      now.events
        .filter((e) => e.timestamp <= at)
        .map((e) => e.id)
        .sort(),
    );
    expect(then.eventCount).toBeLessThan(now.eventCount);
    expect(
      (await api(server, `/api/flows/${encodeURIComponent(summary.id)}?at=${(times[0] as number) - 1}`)).status,
    ).toBe(404);
    expect((await api(server, `/api/flows/${encodeURIComponent(summary.id)}?at=later`)).status).toBe(400);
  });

  it('says which moment or window it cannot read', async () => {
    expect((await api<{ message: string }>(server, '/api/history?at=soon')).body.message).toMatch(/epoch milliseconds/);
    expect((await api(server, '/api/history?at=1&window=5')).status).toBe(400);
  });
});
