import { findFlow, getFlow } from '../fixtures/flows.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

test.describe('the tour of a recorded order', () => {
  test('steps through the flow from the keyboard: URL, map highlight and payload follow', async ({
    live,
    demo,
    traceView: trace,
    tour,
  }) => {
    const summary = await findFlow(
      demo,
      (f) => f.kind === 'order.placed' && f.status === 'completed' && f.anomalyCount === 0 && f.eventCount >= 4,
    );
    const flow = await getFlow(demo, summary.id);
    const events = flow.events;
    await live.open(demo.openUrl);
    await live.page.goto(`${demo.origin}/trace/${encodeURIComponent(flow.id)}`);
    await expect(trace.flow).toHaveAttribute('data-flow-id', flow.id);

    await trace.tourLink.click();
    await expect(tour.root).toHaveAttribute('data-flow-id', flow.id);
    await expect(tour.root).toHaveAttribute('data-count', String(events.length));
    await expect(tour.progressItems).toHaveCount(events.length);

    // Each step: its type, its producer → channel edge lit on the map, its payload as text.
    const expectStep = async (n: number) => {
      const event = events[n - 1];
      if (!event) throw new Error(`no step ${n}`);
      await expect(tour.root).toHaveAttribute('data-step', String(n));
      await expect(tour.step).toHaveAttribute('data-event-id', event.id);
      await expect(tour.step.getByRole('heading', { level: 2 })).toHaveText(event.type ?? '(untyped)');
      await expect(tour.currentProgressItem).toHaveAttribute('data-step', String(n));
      await expect(tour.map).toHaveAttribute('data-channel', event.channel);
      if (event.producer) {
        await expect(tour.litEdges('produces')).toHaveCount(1);
        await expect(tour.litEdges('produces')).toHaveAttribute('data-edge-from', event.producer);
        await expect(tour.litEdges('produces')).toHaveAttribute('data-edge-to', event.channel);
        await expect(tour.mapNode('service', event.producer, true)).toBeVisible();
      }
      await expect(tour.mapNode('channel', event.channel, true)).toBeVisible();
      const orderId = JSON.parse(event.payload.value) as { orderId?: string };
      if (orderId.orderId) await expect(tour.payload).toContainText(orderId.orderId);
      await expect(tour.nextIn).toHaveText(n === events.length ? 'this is the last step' : /\d/);
    };

    await expectStep(1);
    expect(tour.stepInUrl()).toBeNull();
    // Something not on this step is dimmed.
    await expect(tour.map.locator('.react-flow__node.fs-tour-dim').first()).toBeAttached();
    await saveScreenshot(live, 'tour-step-1');

    await live.page.keyboard.press('ArrowRight');
    await expectStep(2);
    await expect.poll(() => tour.stepInUrl()).toBe('2');
    await live.page.keyboard.press('j');
    await expectStep(3);
    await expect.poll(() => tour.stepInUrl()).toBe('3');
    await saveScreenshot(live, 'tour-step-3');
    await live.page.keyboard.press('k');
    await expectStep(2);
    await live.page.keyboard.press('ArrowLeft');
    await expectStep(1);
    await live.page.keyboard.press('End');
    await expectStep(events.length);
    await expect.poll(() => tour.stepInUrl()).toBe(String(events.length));
    await live.page.keyboard.press('Home');
    await expectStep(1);

    // A link opens that step.
    const other = await live.page.context().newPage();
    await other.goto(`${demo.origin}/tour/${encodeURIComponent(flow.id)}?step=3`);
    await expect(other.getByTestId('tour')).toHaveAttribute('data-step', '3');
    await expect(other.getByTestId('tour-step')).toHaveAttribute('data-event-id', events[2]?.id ?? '');
    await other.close();

    // Esc goes back to the trace, at the step the tour was on.
    await live.page.keyboard.press('Escape');
    await expect(trace.flow).toHaveAttribute('data-flow-id', flow.id);
    await expect.poll(() => new URL(live.page.url()).pathname).toContain('/trace/');
  });

  test('a flow that is not retained says so and how to find one', async ({ live, demo, page }) => {
    await live.open(demo.openUrl);
    await page.goto(`${demo.origin}/tour/no/such/flow`);
    await expect(page.getByTestId('tour-error')).toContainText('cannot be toured');
    await expect(page.getByRole('link', { name: 'Search flows' })).toBeVisible();
  });
});
