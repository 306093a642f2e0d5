import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCapture, type FlowEvent } from '@flowscope/shared';
import { historyMarkers } from '../../web/src/features/history/history.markers.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

const MINUTE = 60_000;

/** `n` events a second apart from `start`: `producer` writing to `channel`. */
function phase(start: number, n: number, producer: string, channel: string, type: string): FlowEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `file/past/${channel}/${i}`,
    seq: 0,
    source: { broker: 'file', cluster: 'past' },
    channel,
    timestamp: start + i * 1000,
    receivedAt: start + i * 1000,
    headers: {},
    type,
    producer,
    correlation: { keys: [{ name: 'ref', value: `${channel}-${i}` }] },
    payload: {
      encoding: 'json',
      value: JSON.stringify({ ref: `${channel}-${i}` }),
      size: 20,
      truncated: false,
      sha256: '',
    },
  })) as unknown as FlowEvent[];
}

test.describe('time travel over stored history', () => {
  const now = Date.now();
  let flowscope: FlowscopeProcess;
  test.beforeAll(async () => {
    // Fifteen minutes ago a legacy billing job wrote invoices; three minutes ago the order service took over.
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-history-'));
    const capture = join(dir, 'past.ndjson');
    const events = [
      ...phase(now - 15 * MINUTE, 20, 'legacy-billing', 'invoices', 'invoice.issued'),
      ...phase(now - 3 * MINUTE, 20, 'order-service', 'orders', 'order.placed'),
    ];
    writeFileSync(capture, toCapture(events, 'e2e', now));
    flowscope = await launchFlowscope(['--replay', capture, '--replay-speed', 'max']);
  });
  test.afterAll(async () => {
    await flowscope.stop();
  });

  test('scrubbing back ten minutes shows the map and the stream as they were; the address carries the moment', async ({
    live,
  }) => {
    await live.open(flowscope.openUrl);
    await expect(live.mapNode('channel', 'orders')).toBeVisible();
    await expect(live.mapNode('channel', 'invoices')).toBeVisible();

    await live.page.getByTestId(historyMarkers.enter).click();
    const bar = live.page.getByTestId(historyMarkers.bar);
    await expect(bar).toBeVisible();
    // Twelve minutes back: the legacy job's invoices, not yet any order.
    const at = now - 12 * MINUTE;
    await live.page.goto(`${flowscope.origin}/?at=${at}`);
    await expect(bar).toHaveAttribute('data-at', String(at));
    await expect(live.mapNode('channel', 'invoices')).toBeVisible();
    await expect(live.mapNode('service', 'legacy-billing')).toBeVisible();
    await expect(live.mapNode('channel', 'orders')).toHaveCount(0);
    await expect(live.rows).toHaveCount(20);
    await expect(live.rows.first()).toContainText('invoice.issued');
    await saveScreenshot(live, 'history-twelve-minutes-ago');

    // An event of that moment traces its flow as it was then.
    await live.rows.first().click();
    const traceLink = live.page.getByTestId('inspector-trace-flow');
    await expect(traceLink).toHaveAttribute('href', new RegExp(`[?&]at=${at}(&|$)`));

    // The same address in another page shows the same moment.
    const other = await live.page.context().newPage();
    await other.goto(live.page.url());
    await expect(other.getByTestId(historyMarkers.bar)).toHaveAttribute('data-at', String(at));
    await expect(other.locator('[data-node-kind="channel"][data-node-name="invoices"]')).toBeVisible();
    await other.close();

    // Ten minutes on: the map of the five minutes before shows the orders, and the legacy job is gone.
    for (let i = 0; i < 10; i++) await live.page.getByTestId(historyMarkers.step('+1 min')).click();
    await expect(bar).toHaveAttribute('data-at', String(at + 10 * MINUTE));
    await expect(live.mapNode('channel', 'orders')).toBeVisible();
    await expect(live.mapNode('service', 'legacy-billing')).toHaveCount(0);
    await expect(live.rows.first()).toContainText('order.placed');
    // A wider window draws the map of the last hour before the moment: both again.
    await live.page.getByTestId(historyMarkers.window).selectOption({ label: 'map: 1 h before' });
    await expect(live.mapNode('service', 'legacy-billing')).toBeVisible();
    await expect(live.mapNode('channel', 'orders')).toBeVisible();
    expect(new URL(live.page.url()).searchParams.get('window')).toBe('3600000');

    // Playing back as fast as it goes reaches the newest event; back to live shows everything again.
    await live.page.getByTestId(historyMarkers.step('−1 min')).click();
    await live.page.getByTestId(historyMarkers.speed).selectOption({ label: 'max' });
    await live.page.getByTestId(historyMarkers.play).click();
    await expect(live.page.getByTestId(historyMarkers.play)).toHaveText('▶ Play', { timeout: 20_000 });
    await live.page.getByTestId(historyMarkers.live).click();
    await expect(bar).toBeHidden();
    expect(new URL(live.page.url()).searchParams.get('at')).toBeNull();
    await expect(live.mapNode('service', 'legacy-billing')).toBeVisible();
  });
});
