import { readFileSync } from 'node:fs';
import { catalogMarkers } from '../../web/src/features/catalog/catalog.markers.js';
import { traceMarkers } from '../../web/src/features/trace/trace.markers.js';
import { findFlow, getFlow, learnedKinds } from '../fixtures/flows.js';
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

  test('notes written through the API show on the map nodes and in the trace of a flow of that kind', async ({
    live,
    demo,
    traceView: trace,
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const [kindName = ''] = await learnedKinds(demo);
    const summary = await findFlow(demo, (f) => f.kind === kindName && f.status === 'completed' && f.eventCount > 1);
    const flow = await getFlow(demo, summary.id);
    const [first, second] = flow.events;
    const step = `${second?.type ?? ''}@${second?.channel ?? ''}`;
    const service = first?.producer ?? 'order-service';

    await live.open(demo.openUrl);
    const channelNode = live.mapNode('channel', first?.channel ?? 'orders');
    await expect(channelNode).toBeVisible();
    const channelId = await live.mapNodeId(channelNode);
    expect(channelId).toMatch(/^channel:/);

    const auth = { authorization: `Bearer ${demo.token}` };
    const put = async (target: string, title: string, description: string) => {
      const res = await request.put(`${demo.origin}/api/annotations`, {
        headers: auth,
        data: { target, title, description },
      });
      expect(res.status(), target).toBe(200);
    };
    const longTitle = 'Owned by the checkout team <i>on call</i>, ask in #checkout before changing anything here';
    await put(`service:${service}`, longTitle, 'Runbook: wiki/checkout');
    await put(`channel:${channelId}`, 'Keyed by order id', 'Six partitions; keep the key stable.');
    await put(`kind:${kindName}`, 'Shop order <b>lifecycle</b>', 'From the checkout to the shipment.');
    await put(`step:${kindName}/${step}`, 'Second step note', 'Written through the API.');

    // The map: a marker and the title in the node, truncated; the whole note in its tooltip and label.
    await page.reload();
    const serviceNode = live.mapNode('service', service);
    const serviceNote = live.mapNodeNote(serviceNode);
    await expect(serviceNote).toHaveText(longTitle);
    await expect(serviceNote).toHaveAttribute('title', `Note: ${longTitle} — Runbook: wiki/checkout`);
    await expect(serviceNode.locator('i')).toHaveCount(0);
    // Fixed node size: the long title is cut with an ellipsis, not wrapped.
    const text = serviceNote.locator('.fs-node__note-text');
    expect(await text.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await text.evaluate((el) => getComputedStyle(el).textOverflow)).toBe('ellipsis');
    const box = await serviceNode.boundingBox();
    const button = await serviceNode.getByRole('button').boundingBox();
    expect(button?.height).toBeCloseTo(box?.height ?? 0, 0);
    await expect(serviceNode.getByRole('button')).toHaveAccessibleName(new RegExp(`Note: ${longTitle}`));
    await expect(live.mapNodeNote(channelNode)).toHaveText('Keyed by order id');
    await expect(channelNode).toHaveAttribute('data-has-note', 'true');
    await saveScreenshot(live, 'map-notes');

    // The trace: the kind's note by the header, the step's note in the inspector and on its row.
    await page.goto(`${demo.origin}/trace/${encodeURIComponent(flow.id)}`);
    await expect(trace.flow).toHaveAttribute('data-flow-id', flow.id);
    await expect(trace.kindNote).toContainText('Shop order <b>lifecycle</b>');
    await expect(trace.kindNote).toContainText('From the checkout to the shipment.');
    await expect(trace.kindNote.locator('b')).toHaveCount(0);
    await saveScreenshot(live, 'trace-kind-note');
    await expect(trace.stepNoteMarks.first()).toContainText('Second step note');
    await expect(trace.page.locator(`[data-event-id="${second?.id ?? ''}"][data-has-note="true"]`)).toHaveCount(1);
    await trace.page.locator(`[data-testid="${traceMarkers.stepItem}"][data-event-id="${second?.id ?? ''}"]`).click();
    await expect(trace.stepNote).toContainText('Second step note');
    await expect(trace.stepNote).toContainText('Written through the API.');
    await saveScreenshot(live, 'trace-notes');
    // Another step has no note: the inspector offers to add one.
    await page.keyboard.press('k');
    await expect(trace.stepNote).not.toContainText('Second step note');
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
