import type { EntityResponse, FlowSummary } from '@flowscope/shared';
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
});
