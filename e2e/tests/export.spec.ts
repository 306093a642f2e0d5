import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { findFlow } from '../fixtures/flows.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';
import { demoChannels, demoServices } from '../scenarios/demo.js';

test.describe('exports from the UI', () => {
  test('a flow downloads as a Mermaid sequence and as an NDJSON capture', async ({ live, demo, traceView: trace }) => {
    const flow = await findFlow(demo, (f) => f.kind === 'order.placed' && f.eventCount >= 3);
    await live.open(demo.openUrl);
    await live.page.goto(`${demo.origin}/trace/${encodeURIComponent(flow.id)}`);
    await expect(trace.flow).toBeVisible();

    const [mermaid] = await Promise.all([
      live.page.waitForEvent('download'),
      trace.exportButton('flow-mermaid').click(),
    ]);
    const diagram = readFileSync(await mermaid.path(), 'utf8');
    expect(diagram.startsWith('sequenceDiagram')).toBe(true);
    expect(diagram).toContain('order-service');
    expect(mermaid.suggestedFilename()).toMatch(/\.mmd$/);

    const [capture] = await Promise.all([
      live.page.waitForEvent('download'),
      trace.exportButton('flow-ndjson').click(),
    ]);
    const lines = readFileSync(await capture.path(), 'utf8')
      .trim()
      .split('\n');
    expect((JSON.parse(lines[0] ?? '{}') as { format?: string }).format).toBe('flowscope-capture');
    expect(lines.slice(1).some((l) => l.includes(flow.id))).toBe(true);
  });

  test('the map downloads as SVG (with every service and channel name), PNG and Mermaid', async ({ live, demo }) => {
    await live.open(demo.openUrl);
    for (const name of demoServices) await expect(live.mapNode('service', name)).toBeVisible();
    await saveScreenshot(live, 'map-with-export');

    const [svg] = await Promise.all([live.page.waitForEvent('download'), live.mapExport('map-svg').click()]);
    expect(svg.suggestedFilename()).toBe('flowscope-map.svg');
    const svgText = readFileSync(await svg.path(), 'utf8');
    expect(svgText).toContain('<svg');
    for (const name of [...demoServices, ...demoChannels]) expect(svgText).toContain(`>${name}<`);

    // The SVG file opens in the browser as an image of the map.
    const file = test.info().outputPath('flowscope-map.svg');
    await svg.saveAs(file);
    const view = await live.page.context().newPage();
    await view.goto(pathToFileURL(file).href);
    await expect(view.locator('svg')).toBeVisible();
    for (const name of demoServices)
      await expect(view.locator('.node-service text', { hasText: name }).first()).toBeVisible();
    await view.close();

    const [png] = await Promise.all([live.page.waitForEvent('download'), live.mapExport('map-png').click()]);
    expect(png.suggestedFilename()).toBe('flowscope-map.png');
    const bytes = readFileSync(await png.path());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(2000);

    const [mmd] = await Promise.all([live.page.waitForEvent('download'), live.mapExport('map-mermaid').click()]);
    expect(readFileSync(await mmd.path(), 'utf8').startsWith('flowchart')).toBe(true);
  });
});
