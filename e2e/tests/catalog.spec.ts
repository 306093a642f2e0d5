import { readFileSync } from 'node:fs';
import { catalogMarkers } from '../../web/src/features/catalog/catalog.markers.js';
import { learnedKinds } from '../fixtures/flows.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

test.describe('the catalog of the demo shop', () => {
  test('shows learned flow kinds with their steps, and a channel with its event schema; links open entries', async ({
    live,
    demo,
    catalog,
  }) => {
    const kinds = await learnedKinds(demo);
    await live.open(demo.openUrl);
    await live.page.getByRole('link', { name: 'Catalog' }).click();
    await expect(catalog.root).toBeVisible();

    const kind = catalog.kind(kinds[0] ?? '');
    await expect(kind).toBeVisible();
    await expect.poll(() => catalog.kindSteps(kind).count()).toBeGreaterThan(1);
    await expect(catalog.kindSteps(kind).first()).toContainText('starts the flow');
    await expect(kind).toContainText('Duration p50');
    // The demo fails and dead-letters some orders on purpose: the kind says how often.
    await expect(kind.getByTestId(catalogMarkers.kindFailureRate)).toHaveText(/^\d+% of [\d,]+$/);

    // Channels are collapsed until opened; opening one puts it in the address.
    const orders = catalog.channel('orders');
    await expect(catalog.channelToggle(orders)).toHaveAttribute('aria-expanded', 'false');
    await catalog.channelToggle(orders).click();
    await expect(catalog.channelToggle(orders)).toHaveAttribute('aria-expanded', 'true');
    const placed = catalog.eventType(orders, 'order.placed');
    await expect(placed).toContainText('order-service');
    await expect(catalog.schemaRow(placed, 'orderId')).toHaveAttribute('data-required', 'true');
    await expect(catalog.schemaRow(placed, 'orderId')).toContainText('string');
    await expect(catalog.schemaRow(placed, 'items[].sku')).toBeVisible();
    await saveScreenshot(live, 'catalog');
    const channelId = await orders.getAttribute('data-channel-id');
    await expect.poll(() => new URL(live.page.url()).searchParams.get('channel')).toBe(channelId);

    // The link opens the channel in a fresh page.
    const other = await live.page.context().newPage();
    await other.goto(live.page.url());
    await expect(
      other.locator(`[data-channel-id="${channelId}"] [data-testid="catalog-channel-toggle"]`),
    ).toHaveAttribute('aria-expanded', 'true');
    await other.close();
  });

  test('a note on a flow kind is written inline from the keyboard and kept', async ({ live, demo, catalog, page }) => {
    const [kindName = ''] = await learnedKinds(demo);
    await live.open(demo.openUrl);
    await page.goto(`${demo.origin}/catalog#kind-${kindName}`);
    const note = catalog.annotation(`kind:${kindName}`);
    await catalog.annotationPart(note, 'annotationEdit').click();
    await expect(catalog.annotationPart(note, 'annotationTitle')).toBeFocused();
    await page.keyboard.type('Checkout <b>happy</b> path');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Starts when a customer pays.');
    // Esc cancels: nothing saved.
    await page.keyboard.press('Escape');
    await expect(catalog.annotationPart(note, 'annotationTitle')).toBeHidden();
    await expect(note).not.toContainText('Checkout');

    await catalog.annotationPart(note, 'annotationEdit').click();
    await catalog.annotationPart(note, 'annotationTitle').fill('Checkout <b>happy</b> path');
    await catalog.annotationPart(note, 'annotationDescription').fill('Starts when a customer pays.');
    await catalog.annotationPart(note, 'annotationSave').click();
    // Shown as typed: markup stays text.
    await expect(note).toContainText('Checkout <b>happy</b> path');
    await expect(note.locator('b')).toHaveCount(0);
    await page.reload();
    await expect(catalog.annotation(`kind:${kindName}`)).toContainText('Starts when a customer pays.');
  });

  test('exports a kind as Mermaid, the system as AsyncAPI, and documentation as Markdown and HTML', async ({
    live,
    demo,
    catalog,
    page,
  }) => {
    const [kindName = ''] = await learnedKinds(demo);
    await live.open(demo.openUrl);
    await page.goto(`${demo.origin}/catalog`);
    const [mermaid] = await Promise.all([
      page.waitForEvent('download'),
      catalog.exportButton(catalog.kind(kindName), 'kind-mermaid').click(),
    ]);
    const text = readFileSync(await mermaid.path(), 'utf8');
    expect(text.startsWith('sequenceDiagram')).toBe(true);
    expect(mermaid.suggestedFilename()).toMatch(/\.mmd$/);

    const [asyncapi] = await Promise.all([
      page.waitForEvent('download'),
      catalog.exportButton(page, 'asyncapi').click(),
    ]);
    const doc = JSON.parse(readFileSync(await asyncapi.path(), 'utf8')) as { asyncapi: string; channels: object };
    expect(doc.asyncapi).toMatch(/^3\./);
    expect(JSON.stringify(doc.channels)).toContain('orders');

    // Documentation of everything learned, as Markdown and as one HTML page.
    const [markdown] = await Promise.all([
      page.waitForEvent('download'),
      catalog.exportButton(page, 'docs-markdown').click(),
    ]);
    const md = readFileSync(await markdown.path(), 'utf8');
    expect(md).toContain(kindName);
    expect(md).toContain('orders');
    const [html] = await Promise.all([page.waitForEvent('download'), catalog.exportButton(page, 'docs-html').click()]);
    expect(html.suggestedFilename()).toMatch(/\.html$/);
    expect(readFileSync(await html.path(), 'utf8')).toMatch(/^<!doctype html>/i);
  });
});
