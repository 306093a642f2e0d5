import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flow, FlowEvent, FlowSummary, Gap, Topology } from '@flowscope/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { api, eventually, startFlowscope } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const serviceNames = (t: Topology) =>
  t.nodes
    .filter((n) => n.kind === 'service')
    .map((n) => n.name)
    .sort();

describe('history survives a restart', () => {
  it('brings back events, flows and the map from the data directory', async () => {
    const first = await startFlowscope(['--data-dir', dataDir, '--demo-rate', '20']);
    let before: { events: FlowEvent[]; flow: Flow; orderId: string; services: string[] };
    try {
      const summary = await eventually(
        async () => {
          const { body } = await api<{ flows: FlowSummary[] }>(first, '/api/flows?limit=200');
          return body.flows.find((f) => f.kind === 'order.placed' && f.eventCount >= 5);
        },
        15_000,
        'a flow with five steps',
      );
      const orderId = summary.keys.find((k) => k.name === 'orderId')?.value ?? '';
      const flow = (await api<Flow>(first, `/api/flows/${encodeURIComponent(summary.id)}`)).body;
      const events = (await api<{ events: FlowEvent[] }>(first, '/api/events?limit=50')).body.events;
      // A flow of five steps can come before every service has been seen: wait for most of the shop.
      const services = await eventually(
        async () => {
          const names = serviceNames((await api<Topology>(first, '/api/topology')).body);
          return names.length >= 4 ? names : undefined;
        },
        15_000,
        'four services on the map',
      );
      before = { events, flow, orderId, services };
    } finally {
      await first.close();
    }

    // Restarted without any source: everything shown comes from disk.
    const second = await startFlowscope(['--data-dir', dataDir, '--no-demo']);
    try {
      const after = (await api<{ events: FlowEvent[] }>(second, '/api/events?limit=500')).body.events;
      const byId = new Map(after.map((e) => [e.id, e]));
      for (const e of before.events) expect(byId.get(e.id)).toEqual(e);

      const found = (await api<{ flows: FlowSummary[] }>(second, `/api/flows?key=${before.orderId}`)).body.flows;
      expect(found.map((f) => f.id)).toEqual([before.flow.id]);
      const flow = (await api<Flow>(second, `/api/flows/${encodeURIComponent(before.flow.id)}`)).body;
      const beforeIds = before.flow.events.map((e) => e.id);
      expect(flow.events.map((e) => e.id)).toEqual(expect.arrayContaining(beforeIds));
      expect(flow.events[0]?.id).toBe(beforeIds[0]);

      const topology = (await api<Topology>(second, '/api/topology')).body;
      // Events that arrived between that read and the stop may add services, never remove them.
      expect(serviceNames(topology)).toEqual(expect.arrayContaining(before.services));
      expect(before.services.length).toBeGreaterThanOrEqual(4);
    } finally {
      await second.close();
    }
  });

  it('records the time it was not running as a gap for sources that start at the latest offset', async () => {
    const before = Date.now();
    // The broker does not need to be reachable: the gap is about the window, not the connection.
    const server = await startFlowscope([
      '--data-dir',
      dataDir,
      '--no-demo',
      '--kafka',
      '127.0.0.1:9',
      '--topics',
      'orders',
      '--cluster',
      'prod',
    ]);
    try {
      const { body } = await api<{ gaps: Gap[] }>(server, '/api/gaps');
      expect(body.gaps[0]).toMatchObject({ source: 'kafka:prod', reason: 'not-running' });
      expect(body.gaps[0]?.until).toBeGreaterThanOrEqual(before);
      expect(body.gaps[0]?.from).toBeLessThan(before);
      expect(body.gaps[0]?.detail).toMatch(/--from earliest/);
    } finally {
      await server.close();
    }
  });

  it('continues sequence numbers after the stored ones', async () => {
    const server = await startFlowscope(['--data-dir', dataDir, '--demo-rate', '20']);
    try {
      const lastStored = (await api<{ events: FlowEvent[] }>(server, '/api/events?limit=1')).body.events[0]?.seq ?? 0;
      const next = await eventually(async () => {
        const [e] = (await api<{ events: FlowEvent[] }>(server, '/api/events?limit=1')).body.events;
        return e && e.seq > lastStored ? e : undefined;
      });
      expect(next.seq).toBeGreaterThan(lastStored);
      expect(next.source.broker).toBe('demo');
    } finally {
      await server.close();
    }
  });
});
