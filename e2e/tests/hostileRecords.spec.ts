import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCapture, type FlowEvent } from '@flowscope/shared';
import { inspectorMarkers } from '../../web/src/features/inspector/inspector.markers.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { TracePage } from '../fixtures/tracePage.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

type Sample = { type: string; payload: { encoding: 'json' | 'text' | 'binary'; value: string } } & Partial<{
  channel: string;
  producer: string;
  timestamp: number;
  headers: Record<string, string>;
  id: string;
}>;

/**
 * A sample of what the fuzz suite (server/src/ingest/fuzz.test.ts) sends through every decode
 * path, as events of one order, so that every view holds all of them at once.
 */
function samples(): Sample[] {
  const bytes = Buffer.from([0, 255, 254, 0xc3, 0x28, 0xe2, 0x82, 0, 0x1b, 0x5b, 0x33, 0x31, 0x6d]);
  return [
    { type: 'deep.array', payload: { encoding: 'json', value: `${'['.repeat(100_000)}${']'.repeat(100_000)}` } },
    { type: 'deep.object', payload: { encoding: 'json', value: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` } },
    { type: 'binary.bytes', payload: { encoding: 'binary', value: bytes.toString('base64') } },
    { type: 'text.control', payload: { encoding: 'text', value: 'a\u0000b\u0007c\u001b[31mred\u202eevil\u200b' } },
    {
      type: 'json.numbers',
      payload: { encoding: 'json', value: '{"big":123456789012345678901234567890,"huge":1e400,"neg":-0}' },
    },
    { type: 'json.broken', payload: { encoding: 'json', value: '{"orderId":"H-1","cut":' } },
    {
      type: `${'t'.repeat(5000)}`,
      producer: `${'p'.repeat(5000)}`,
      channel: `orders-${'c'.repeat(300)}`,
      payload: { encoding: 'json', value: '{"long":"names"}' },
    },
    {
      type: 'many.headers',
      headers: Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`h-${i}`, i === 0 ? 'v'.repeat(20_000) : 'v']),
      ),
      payload: { encoding: 'json', value: '{"headers":300}' },
    },
    { type: 'time.huge', timestamp: 1e300, payload: { encoding: 'json', value: '{"t":"1e300"}' } },
    { type: 'time.negative', timestamp: -1, payload: { encoding: 'json', value: '{"t":-1}' } },
    { type: 'id.twice', id: 'file/hostile/orders/dup', payload: { encoding: 'json', value: '{"copy":1}' } },
    { type: 'id.twice', id: 'file/hostile/orders/dup', payload: { encoding: 'json', value: '{"copy":2}' } },
    { type: 'names.unicode', channel: 'orders\u202e\u0000', payload: { encoding: 'json', value: '{"rtl":true}' } },
  ];
}

function capture(now: number): string {
  const events = samples().map((s, i) => ({
    id: s.id ?? `file/hostile/orders/${i}`,
    seq: 0,
    source: { broker: 'file', cluster: 'hostile' },
    channel: s.channel ?? 'orders',
    type: s.type,
    producer: s.producer ?? 'hostile-service',
    timestamp: s.timestamp ?? now - 1000 + i,
    receivedAt: now - 1000 + i,
    headers: s.headers ?? {},
    correlation: { keys: [{ name: 'orderId', value: 'H-1' }] },
    payload: { ...s.payload, size: s.payload.value.length, truncated: false, sha256: '' },
  })) as unknown as FlowEvent[];
  const file = join(mkdtempSync(join(tmpdir(), 'flowscope-hostile-')), 'hostile.ndjson');
  writeFileSync(file, toCapture(events, 'e2e', now));
  return file;
}

test.describe('hostile records in every view', () => {
  let flowscope: FlowscopeProcess;
  test.beforeAll(async () => {
    flowscope = await launchFlowscope(['--replay', capture(Date.now()), '--replay-speed', 'max', '--no-demo']);
  });
  test.afterAll(async () => {
    await flowscope.stop();
  });

  test('the stream, the inspector of each, the trace, the catalog and the insights all render them', async ({
    live,
  }) => {
    test.setTimeout(120_000);
    const errors: string[] = [];
    live.page.on('pageerror', (e) => errors.push(e.message));
    await live.open(flowscope.openUrl);
    const count = samples().length;
    await expect(live.rows).toHaveCount(count, { timeout: 30_000 });
    for (let i = 0; i < count; i++) {
      await live.rows.nth(i).click();
      await expect(live.inspector).toBeVisible();
      for (const tab of ['headers', 'metadata', 'payload'] as const) await live.openTab(tab);
      await expect(live.payload).toBeVisible();
    }
    // The payload 100,000 levels deep opens as a tree, its deep levels collapsed.
    await live.row('deep.array').click();
    await expect(live.inspectorPart('jsonTree')).toBeVisible();
    await live.row('binary.bytes').click();
    await expect(live.inspectorPart('hexDump')).toContainText('00 ff fe');
    await saveScreenshot(live, 'hostile-stream');

    await live.row('deep.array').click();
    await live.page.getByTestId(inspectorMarkers.traceFlow).click();
    await expect(live.page).toHaveURL(/\/trace\//);
    // Every step on the timeline, on screen: a 256-character type once spread it past any screen.
    const trace = new TracePage(live.page);
    await expect(trace.timelineMarks).toHaveCount(12);
    await expect(trace.timelineMark('deep.object')).toBeInViewport();
    await expect(trace.timelineMark('names.unicode')).toBeInViewport();
    await saveScreenshot(live, 'hostile-trace');

    for (const path of ['/catalog', '/insights']) {
      await live.page.goto(`${flowscope.origin}${path}`);
      await expect(live.page.getByRole('main')).toBeVisible();
    }
    await expect(live.page.getByRole('alert')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});
