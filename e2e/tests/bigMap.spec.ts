import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCapture, type FlowEvent } from '@flowscope/shared';
import { mapMarkers } from '../../web/src/features/map/map.markers.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

const PRODUCERS = 20_000;
const CHANNELS = 5_000;

/** The report's cluster: 20,000 producers across 5,000 channels, one event each. */
function capture(now: number): string {
  const events = Array.from({ length: PRODUCERS }, (_, i) => {
    const value = JSON.stringify({ n: i });
    return {
      id: `file/big/topic-${i % CHANNELS}/${i}`,
      seq: 0,
      source: { broker: 'file', cluster: 'big' },
      channel: `topic-${i % CHANNELS}`,
      producer: `producer-${i}`,
      type: 'tick',
      timestamp: now - PRODUCERS + i,
      receivedAt: now - PRODUCERS + i,
      headers: {},
      correlation: { keys: [] },
      payload: { encoding: 'json', value, size: value.length, truncated: false, sha256: '' },
    };
  }) as unknown as FlowEvent[];
  const file = join(mkdtempSync(join(tmpdir(), 'flowscope-bigmap-')), 'big.ndjson');
  writeFileSync(file, toCapture(events, 'e2e', now));
  return file;
}

test.describe('a map of 20,000 producers across 5,000 channels', () => {
  let flowscope: FlowscopeProcess;
  test.beforeAll(async () => {
    flowscope = await launchFlowscope(['--replay', capture(Date.now()), '--replay-speed', 'max', '--no-demo']);
  });
  test.afterAll(async () => {
    await flowscope.stop();
  });

  test('draws the busiest within its bound, says what it grouped, and the page stays responsive', async ({ live }) => {
    test.setTimeout(120_000);
    // The whole capture in before the page opens: the stream then starts from the 200 newest.
    await expect
      .poll(
        async () => {
          const res = await fetch(`${flowscope.origin}/api/health`, {
            headers: { authorization: `Bearer ${flowscope.token}` },
          });
          return ((await res.json()) as { sources: { state: string }[] }).sources[0]?.state;
        },
        { timeout: 60_000 },
      )
      .toBe('stopped');
    await live.open(flowscope.openUrl);
    const notice = live.page.getByTestId(mapMarkers.boundNotice);
    // Before, the page stopped responding for minutes laying out 25,000 nodes.
    await expect(notice).toContainText('19,850 quieter services and 4,750 quieter channels grouped as “other”', {
      timeout: 60_000,
    });
    const others = live.mapNode('service', '19,850 other services');
    await expect(others).toBeVisible();
    expect(await live.mapNodes('service').count()).toBeLessThanOrEqual(151);
    expect(await live.mapNodes('channel').count()).toBeLessThanOrEqual(251);
    // Responsive: a round trip into the page, and typing into the filter, both at once.
    const asked = Date.now();
    await live.page.evaluate(() => 1);
    expect(Date.now() - asked).toBeLessThan(1_000);
    // A producer grouped on the map (not among the 150 seen last, but among the stream's 200
    // newest) is found in the stream by name.
    await expect(live.mapNode('service', 'producer-19820')).toHaveCount(0);
    await live.filterStream('producer-19820');
    await expect(live.rows).toHaveCount(1, { timeout: 10_000 });
    await expect(live.rows.first()).toContainText('producer-19820');
    // A grouped node stands for many: clicking it sets no filter of its own.
    await others.getByRole('button').click();
    await expect(others.getByRole('button')).toHaveAttribute('aria-pressed', 'false');
    await saveScreenshot(live, 'big-map');
  });
});
