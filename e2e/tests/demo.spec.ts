import { expect, saveScreenshot, test } from '../fixtures/test.js';
import { demoServices, demoChannels } from '../scenarios/demo.js';

test.describe('the demo shop, live', () => {
  test('the map shows the six services and their channels, and events stream in', async ({ live, demo }) => {
    await live.open(demo.openUrl);
    // The token moved into a cookie: the address bar no longer shows it.
    expect(live.page.url()).not.toContain('token=');

    for (const name of demoServices) await expect(live.mapNode('service', name)).toBeVisible();
    for (const name of demoChannels) await expect(live.mapNode('channel', name)).toBeVisible();
    await expect(live.source('demo')).toHaveAttribute('data-state', 'connected');

    await expect.poll(() => live.rows.count()).toBeGreaterThan(10);
    await saveScreenshot(live, 'map');
  });

  test('clicking an event opens its payload in the inspector, and the link reopens it', async ({ live, demo }) => {
    await live.open(demo.openUrl);
    await live.filterStream('order.placed');
    const row = live.row('order.placed');
    await row.click();
    await expect(live.inspector).toBeVisible();
    await expect(live.inspectorPart('jsonTree')).toContainText('orderId');
    await expect(live.inspectorPart('jsonTree')).toContainText('items');
    await saveScreenshot(live, 'inspector');

    await live.openTab('headers');
    await expect(live.headers).toContainText('correlation-id');
    await live.openTab('metadata');
    await expect(live.metadata).toContainText('order-service');

    // A shared deep link opens the same event.
    const link = live.page.url();
    expect(link).toContain('event=');
    const other = await live.page.context().newPage();
    await other.goto(link);
    await expect(other.getByTestId('inspector')).toContainText('orderId');
    await other.close();
  });

  test('the stream can be driven from the keyboard', async ({ live, demo }) => {
    await live.open(demo.openUrl);
    await expect.poll(() => live.rows.count()).toBeGreaterThan(3);
    await live.page.keyboard.press('/');
    await live.page.keyboard.type('payment');
    await live.page.keyboard.press('Escape');
    await live.page.keyboard.press('j');
    await live.page.keyboard.press('Enter');
    await expect(live.inspector).toBeVisible();
    await expect(live.payload).toContainText('paymentId');
    await live.page.keyboard.press('Escape');
    await expect(live.inspector).toBeHidden();
  });

  test('without the token the page says how to get in, and shows nothing else', async ({ page, demo }) => {
    const res = await page.goto(demo.origin);
    expect(res?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('Open the URL that the server printed');
  });
});
