import { insightsResponseSchema, type Finding, type InsightsResponse } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startFlowscope, TOKEN } from './helpers.js';

describe('architecture insights over the running demo', () => {
  let server: Awaited<ReturnType<typeof startFlowscope>>;
  beforeAll(async () => {
    server = await startFlowscope(['--demo', '--demo-rate', '40']);
  });
  afterAll(async () => {
    await server.close();
  });

  const has = (findings: readonly Finding[], kind: Finding['kind'], title: string) =>
    findings.some((f) => f.kind === kind && f.title.includes(title));

  it('finds the shop’s known faults, ranked, each with evidence that opens its flow', async () => {
    const insights = await eventually(
      async () => {
        const { body } = await api<InsightsResponse>(server, '/api/insights');
        const f = body.findings;
        const all =
          has(f, 'not-idempotent', 'notification-service is not idempotent on shipments') &&
          has(f, 'breaking-schema', 'shipment.created on shipments: data.trackingNumber') &&
          has(f, 'reordering', 'orders partition 2 reorders events (by version)') &&
          body.consistency.kinds.some((k) => k.kind === 'order.placed');
        return all ? body : undefined;
      },
      90_000,
      'the demo’s faults among the findings',
    );
    // The answer is what the OpenAPI document says it is.
    expect(insightsResponseSchema.safeParse(insights).success).toBe(true);
    // Nothing found on the clean parts.
    expect(insights.findings.filter((f) => f.kind === 'not-idempotent')).toHaveLength(1);
    expect(insights.findings.filter((f) => f.kind === 'breaking-schema')).toHaveLength(1);
    expect(insights.findings.filter((f) => f.kind === 'reordering')).toHaveLength(1);
    const flows = insights.findings.map((f) => f.flows);
    expect(flows).toEqual([...flows].sort((a, b) => b - a));
    const evidence = insights.findings.find((f) => f.kind === 'not-idempotent')?.evidence[0] ?? '';
    const flow = await api<{ events: { id: string }[] }>(server, `/api/flows/${encodeURIComponent(evidence)}`);
    expect(flow.status).toBe(200);
    expect(flow.body.events.map((e) => e.id)).toContain(evidence);
  });

  it('is part of the documentation export', async () => {
    const res = await fetch(`${server.url}/api/export/html`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Architecture insights');
    expect(html).toContain('notification-service is not idempotent on shipments');
  });
});
