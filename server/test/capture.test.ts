import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flow, FlowSummary } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { api, eventually, sourceStatus, startFlowscope, TOKEN } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-capture-'));

async function text(url: string): Promise<{ status: number; body: string; disposition: string | null }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: await res.text(), disposition: res.headers.get('content-disposition') };
}

/** Every flow the server knows, with its events in step order. */
async function flowsOf(server: Awaited<ReturnType<typeof startFlowscope>>) {
  const { body } = await api<{ flows: FlowSummary[] }>(server, '/api/flows?limit=500');
  const out = new Map<string, { kind: string; events: string[] }>();
  for (const f of body.flows) {
    const flow = (await api<Flow>(server, `/api/flows/${encodeURIComponent(f.id)}`)).body;
    out.set(flow.id, { kind: flow.kind, events: flow.events.map((e) => e.id) });
  }
  return out;
}

describe('NDJSON capture and replay', () => {
  it('round-trips: export every event, replay the file, and the same flows come back with the same ids', async () => {
    const recorder = await startFlowscope(['--demo', '--demo-rate', '25']);
    let capture: string;
    let before: Map<string, { kind: string; events: string[] }>;
    try {
      await eventually(async () => ((await flowsOf(recorder)).size >= 40 ? true : undefined), 30_000, '40 flows');
      await recorder.sources.stopAll(); // nothing new from here on: what is exported is what is shown
      before = await flowsOf(recorder);
      const exported = await text(`${recorder.url}/api/export/ndjson`);
      expect(exported.status).toBe(200);
      expect(exported.disposition).toMatch(/^attachment; filename="flowscope-capture\.ndjson"$/);
      capture = exported.body;
    } finally {
      await recorder.close();
    }
    const lines = capture.trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      format: 'flowscope-capture',
      version: 1,
      events: lines.length - 1,
    });
    const file = join(dir, 'shop.ndjson');
    writeFileSync(file, capture);

    const viewer = await startFlowscope(['--replay', file]);
    try {
      await eventually(
        async () => ((await sourceStatus(viewer, 'file:shop.ndjson'))?.state === 'stopped' ? true : undefined),
        30_000,
        'the replay to finish',
      );
      expect((await sourceStatus(viewer, 'file:shop.ndjson'))?.eventsReceived).toBe(lines.length - 1);
      const after = await flowsOf(viewer);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [id, flow] of before) expect(after.get(id), id).toEqual(flow);
    } finally {
      await viewer.close();
    }
  });

  it('replays the lines it can read and names the ones it cannot', async () => {
    const recorder = await startFlowscope(['--demo', '--demo-rate', '20']);
    let capture: string;
    try {
      await eventually(
        async () =>
          (await api<{ events: unknown[] }>(recorder, '/api/events')).body.events.length >= 5 ? true : undefined,
        30_000,
        'events',
      );
      await recorder.sources.stopAll();
      capture = (await text(`${recorder.url}/api/export/ndjson?limit=5`)).body;
    } finally {
      await recorder.close();
    }
    const lines = capture.trim().split('\n');
    lines.splice(3, 0, '{"id": "broken"', '{"id": "x"}');
    const file = join(dir, 'damaged.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const viewer = await startFlowscope(['--replay', file]);
    try {
      const status = await eventually(
        async () => {
          const s = await sourceStatus(viewer, 'file:damaged.ndjson');
          return s?.state === 'stopped' ? s : undefined;
        },
        30_000,
        'the replay to finish',
      );
      expect(status.eventsReceived).toBe(5);
      expect(status.error?.message).toMatch(
        /^Replayed 5 events; 2 lines could not be read \(line 4: not JSON .*; line 5: not an event: /,
      );
    } finally {
      await viewer.close();
    }
  });

  it('exports flows as Mermaid and the system as AsyncAPI, and explains an unknown flow', async () => {
    const server = await startFlowscope(['--demo', '--demo-rate', '20']);
    try {
      const { body } = await eventually(
        async () => {
          const r = await api<{ flows: FlowSummary[] }>(server, '/api/flows');
          return r.body.flows.length > 0 ? r : undefined;
        },
        30_000,
        'a flow',
      );
      const id = body.flows[0]?.id ?? '';
      const mermaid = await text(`${server.url}/api/export/mermaid?flow=${encodeURIComponent(id)}`);
      expect(mermaid.body).toMatch(/^sequenceDiagram\n/);
      expect((await text(`${server.url}/api/export/mermaid?map=1`)).body).toMatch(/^flowchart LR\n/);
      const asyncapi = JSON.parse((await text(`${server.url}/api/export/asyncapi`)).body) as {
        asyncapi: string;
        channels: object;
      };
      expect(asyncapi.asyncapi).toBe('3.0.0');
      expect(Object.keys(asyncapi.channels).length).toBeGreaterThan(0);
      const missing = await text(`${server.url}/api/export/mermaid?flow=nope`);
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body)).toMatchObject({ error: 'not-found', message: 'No flow with id nope.' });
    } finally {
      await server.close();
    }
  });
});
