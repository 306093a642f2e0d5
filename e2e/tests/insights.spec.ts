import type { Locator, Page } from '@playwright/test';
import { catalogMarkers } from '../../web/src/features/catalog/catalog.markers.js';
import { insightsMarkers } from '../../web/src/features/insights/insights.markers.js';
import { mapMarkers } from '../../web/src/features/map/map.markers.js';
import { statusMarkers } from '../../web/src/features/status/status.markers.js';
import { traceMarkers } from '../../web/src/features/trace/trace.markers.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

/** The demo's known faults take a while to show at 30 orders a second (a redelivery is 1 in 50 shipments). */
const FAULTS_WITHIN_MS = 60_000;

/** The parts of the insights page this test reads, by their test ids and data attributes. */
function insightsOf(page: Page) {
  const row = (marker: string, attrs: Readonly<Record<string, string>>) =>
    page.locator(
      `[data-testid="${marker}"]${Object.entries(attrs)
        .map(([k, v]) => `[data-${k}="${v}"]`)
        .join('')}`,
    );
  return {
    root: page.getByTestId(insightsMarkers.root),
    finding: (kind: string): Locator => row(insightsMarkers.finding, { kind }),
    idempotency: (service: string, channel: string) => row(insightsMarkers.idempotencyRow, { service, channel }),
    /** A change of `field` at the top of the payload or inside an envelope (CloudEvents' `data.`). */
    schema: (type: string, field: string) =>
      page.locator(
        [`[data-path="${field}"]`, `[data-path$=".${field}"]`]
          .map((path) => `[data-testid="${insightsMarkers.schemaRow}"][data-type="${type}"]${path}`)
          .join(', '),
      ),
    ordering: (channel: string, partition: string, basis: string) =>
      row(insightsMarkers.orderingRow, { channel, partition, basis }),
    evidence: (scope: Locator) => scope.getByTestId(insightsMarkers.evidence),
  };
}

test.describe('insights into the demo shop', () => {
  let demo: FlowscopeProcess;
  test.beforeAll(async () => {
    // Fast orders, so the shop's faults (redeliveries, the canary, reordering) show within a minute.
    demo = await launchFlowscope(['--demo-rate', '30']);
  });
  test.afterAll(async () => {
    await demo.stop();
  });

  test('finds the consumer that is not idempotent, the breaking change and the reordering partition; evidence opens a flow', async ({
    live,
  }) => {
    test.setTimeout(FAULTS_WITHIN_MS + 60_000);
    const { page } = live;
    await live.open(demo.openUrl);
    await page.getByTestId(statusMarkers.navInsights).click();
    const insights = insightsOf(page);
    await expect(insights.root).toBeVisible();
    await expect(page).toHaveURL(/\/insights$/);

    // The page refreshes every 5 s: wait for the demo's faults to be measured.
    const notIdempotent = insights.finding('not-idempotent').filter({ hasText: 'notification-service' });
    await expect(notIdempotent).toBeVisible({ timeout: FAULTS_WITHIN_MS });
    await expect(notIdempotent).toHaveAttribute('data-severity', 'alert');
    await expect(notIdempotent).toContainText('not idempotent on shipments');
    const notification = insights.idempotency('notification-service', 'shipments');
    await expect(notification).toHaveAttribute('data-verdict', 'not-idempotent');
    await expect(notification).toContainText('not idempotent');

    const shipping = insights.idempotency('shipping-service', 'orders');
    await expect(shipping).toHaveAttribute('data-verdict', 'idempotent', { timeout: FAULTS_WITHIN_MS });
    await expect(shipping).toContainText('idempotent');

    const tracking = insights.schema('shipment.created', 'trackingNumber').first();
    await expect(tracking).toHaveAttribute('data-breaking', 'true', { timeout: FAULTS_WITHIN_MS });
    await expect(tracking).toHaveAttribute('data-kind', 'field-missing');
    await expect(tracking).toContainText('breaking');
    await expect(tracking).toContainText('notification-service');

    const reordering = insights.ordering('orders', '2', 'version');
    await expect(reordering).toContainText(/\d+ reordered/, { timeout: FAULTS_WITHIN_MS });

    // The nav link counts the alerts: at least the consumer and the breaking change.
    await expect(page.getByTestId(statusMarkers.navInsightsAlerts)).toHaveAttribute('data-count', /^([2-9]|\d\d+)$/);
    await page.screenshot({ path: '/tmp/insights.png', fullPage: false });
    await saveScreenshot(live, 'insights');

    // Evidence: a duplicated shipment's flow opens in the trace view.
    const evidence = insights.evidence(notIdempotent).first();
    const eventId = await evidence.getAttribute('data-event-id');
    expect(eventId).toMatch(/^demo\/shop\/shipments\//);
    await evidence.click();
    await expect(page).toHaveURL(/\/trace\/demo\/shop\//);
    const flow = page.getByTestId(traceMarkers.flowPage);
    await expect(flow).toHaveAttribute('data-flow-id', /^demo\/shop\//);
    await expect(
      page.getByTestId(traceMarkers.timelineRoot).locator('[data-event-type="shipment.created"]').first(),
    ).toBeVisible();
  });

  test('a deep link opens the schema changes; the catalog and the map show their part', async ({ live }) => {
    const { page } = live;
    await live.open(demo.openUrl);
    // Every service the insights measured says how far behind it runs, on the map.
    await expect(live.mapNode('service', 'notification-service').getByTestId(mapMarkers.nodeBehind)).toHaveText(
      /^runs .+ behind \(p95\)$/,
      { timeout: FAULTS_WITHIN_MS },
    );

    await page.goto(`${demo.origin}/insights#schema`);
    const schema = page.locator('section#schema');
    await expect(schema).toBeFocused();
    await expect(schema).toBeInViewport();
    await expect(schema.getByRole('heading', { name: 'Schema changes' })).toBeVisible();
    await page.screenshot({ path: '/tmp/insights-schema.png', fullPage: false });

    // The catalog marks shipment.created as broken, with a way back to the schema changes.
    await page.goto(`${demo.origin}/catalog?channel=${encodeURIComponent('channel:demo/shop/shipments')}`);
    const breaking = page
      .locator(`[data-testid="${catalogMarkers.eventType}"][data-type="shipment.created"]`)
      .getByTestId(catalogMarkers.breakingChange);
    await expect(breaking.first()).toContainText(/^▲ Breaking change: (data\.)?trackingNumber required field missing/);
    await expect(page.getByTestId(catalogMarkers.kindConsistency).first()).toContainText(/p50 .+ · p95 .+ · p99 /);
    await breaking.first().click();
    await expect(page).toHaveURL(/\/insights#schema$/);
    await expect(page.locator('section#schema')).toBeFocused();
  });
});
