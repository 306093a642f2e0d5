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
    // Text that only payment events carry (a cancelled order's "payment_failed" does not).
    await live.page.keyboard.type('paymentId');
    await live.page.keyboard.press('Escape');
    await live.page.keyboard.press('j');
    await live.page.keyboard.press('Enter');
    await expect(live.inspector).toBeVisible();
    await expect(live.payload).toContainText('paymentId');
    await live.page.keyboard.press('Escape');
    await expect(live.inspector).toBeHidden();
  });

  test('a row scrolled down to stays put while new events arrive, and j follows the cursor', async ({ live, demo }) => {
    await live.open(demo.openUrl);
    const list = live.streamList;
    await expect.poll(() => list.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(900);
    // Scrolled down as a reader does; a batch that lands before the list saw the scroll may take it
    // back to the top (following the newest), so scroll until it stays.
    await expect
      .poll(() => list.evaluate((el) => (el.scrollTop < 600 ? ((el.scrollTop = 600), 0) : el.scrollTop)))
      .toBeGreaterThanOrEqual(600);
    await expect.poll(() => live.topRowId()).not.toBeNull();
    const reading = (await live.topRowId()) ?? '';
    const row = list.locator(`[data-event-id="${reading}"]`);
    const before = (await row.boundingBox())?.y;
    // Newer events arrive on top: the list scrolls by as much, so the row under the eye stays.
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(600);
    expect((await row.boundingBox())?.y).toBe(before);
    expect(await live.topRowId()).toBe(reading);

    await list.focus();
    for (let i = 0; i < 40; i++) await live.page.keyboard.press('j');
    const cursor = list.locator('[aria-selected="true"]');
    await expect(cursor).toBeInViewport({ ratio: 1 });
    expect(Number(await cursor.getAttribute('aria-posinset'))).toBeGreaterThan(30);
  });

  test('without the token the page says how to get in, and shows nothing else', async ({ page, demo }) => {
    const res = await page.goto(demo.origin);
    expect(res?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('Open the URL that the server printed');
  });
});
