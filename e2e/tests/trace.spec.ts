import type { FlowSummary } from '@flowscope/shared';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

/** Asks the running demo for flows, the way a user would find an order id to trace. */
async function findFlow(
  server: FlowscopeProcess,
  pick: (f: FlowSummary) => boolean,
  timeoutMs = 40_000,
): Promise<FlowSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${server.origin}/api/flows?limit=500`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const { flows } = (await res.json()) as { flows: FlowSummary[] };
    const hit = flows.find(pick);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error('no such flow appeared in the demo');
    await new Promise((r) => setTimeout(r, 500));
  }
}

const orderIdOf = (f: FlowSummary) => f.keys.find((k) => k.name === 'orderId')?.value ?? '';

test.describe('tracing an order from the demo', () => {
  let demo: FlowscopeProcess;
  test.beforeAll(async () => {
    // Fast orders and quick settling, so templates and dead letters show up within seconds.
    // Traces link to a tracing UI (--trace-url), as a team running Tempo would set it.
    demo = await launchFlowscope(['--demo-rate', '15', '--trace-url', 'https://tempo.example/trace/{traceId}']);
  });
  test.afterAll(async () => {
    await demo.stop();
  });

  test('search an order id, see its whole flow as a timeline and a sequence, open a step and its diff', async ({
    live,
    traceView: trace,
  }) => {
    const flow = await findFlow(
      demo,
      (f) => f.kind === 'order.placed' && f.services.includes('analytics-service') && f.anomalyCount === 0,
    );
    const orderId = orderIdOf(flow);
    await live.open(demo.openUrl);
    await live.page.getByRole('link', { name: 'Trace' }).click();
    await trace.search(orderId);
    await expect(trace.results).toHaveCount(1);
    await trace.results.first().click();
    await expect(trace.flow).toHaveAttribute('data-flow-id', flow.id);
    // A shareable address: the flow id is in the path.
    await expect.poll(() => decodeURIComponent(new URL(trace.page.url()).pathname)).toBe(`/trace/${flow.id}`);

    // Every step is on the timeline, with hop latencies between them.
    for (const type of [
      'order.placed',
      'inventory.reserved',
      'payment.authorized',
      'order.confirmed',
      'shipment.created',
      'notification.sent',
      'analytics.order-recorded',
    ]) {
      await expect(trace.timelineMark(type)).toBeVisible();
    }
    await expect(trace.hopLabels.first()).toContainText(/ms|s/);
    await saveScreenshot(live, 'trace-timeline');

    // Open the confirmation: its diff against the order it confirms shows what changed.
    await trace.timelineMark('order.confirmed').click();
    await trace.openDiff();
    await expect(trace.diffEntry('status')).toHaveAttribute('data-change', 'added');
    await expect(trace.diffEntry('items')).toHaveAttribute('data-change', 'removed');
    await saveScreenshot(live, 'trace-diff');

    await trace.showSequence();
    await expect(trace.sequenceArrows).toHaveCount(flow.eventCount);
    await saveScreenshot(live, 'trace-sequence');

    // The deep link opens the same flow in a fresh page.
    const other = await live.page.context().newPage();
    await other.goto(live.page.url());
    await expect(other.getByTestId('trace-flow')).toHaveAttribute('data-flow-id', flow.id);
    await other.close();
  });

  test('a flow links to its trace in the tracing UI and exports as OpenTelemetry spans', async ({
    live,
    traceView: trace,
  }) => {
    const flow = await findFlow(demo, (f) => f.eventCount >= 4);
    await live.open(demo.openUrl);
    await live.page.goto(`${demo.origin}/trace/${encodeURIComponent(flow.id)}`);
    await expect(trace.flow).toHaveAttribute('data-flow-id', flow.id);
    const link = trace.page.getByTestId('trace-link');
    await expect(link).toHaveAttribute('href', /^https:\/\/tempo\.example\/trace\/[0-9a-f]{32}$/);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    const traceId = (await link.getAttribute('href'))?.split('/').pop();

    // The OTLP export: every span in that same trace, one per event of the flow.
    const download = trace.page.waitForEvent('download');
    await trace.page.locator('[data-testid="export-button"][data-export="flow-otlp"]').click();
    const file = await (await download).path();
    const { readFile } = await import('node:fs/promises');
    const otlp = JSON.parse(await readFile(file, 'utf8')) as {
      resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[];
    };
    const spans = otlp.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans.length).toBeGreaterThanOrEqual(flow.eventCount);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
  });

  test('the history of an order folds its state step by step, from the trace view', async ({
    live,
    traceView: trace,
  }) => {
    const flow = await findFlow(demo, (f) => f.kind === 'order.placed' && f.services.includes('shipping-service'));
    const orderId = orderIdOf(flow);
    await live.open(demo.openUrl);
    await live.page.goto(`${demo.origin}/trace/${encodeURIComponent(flow.id)}`);
    await trace.page.getByTestId('entity-link').click();
    await expect.poll(() => new URL(trace.page.url()).searchParams.get('value')).toBe(orderId);
    const steps = trace.page.getByTestId('entity-step');
    await expect(steps.first()).toContainText('order.placed');
    const state = trace.page.getByTestId('entity-state');
    await expect(state).toContainText(`"orderId": "${orderId}"`);
    await expect(state).not.toContainText('"paymentId"');
    // Step on until the first payment event (a retry or a fraud review may come before the
    // authorization): the state gains its fields, the change lists them.
    const paymentStep = steps.filter({ hasText: /payment\./ }).first();
    await paymentStep.click();
    await expect(paymentStep).toHaveAttribute('aria-current', 'step');
    await expect(state).toContainText('"paymentId"');
    await expect(trace.page.getByTestId('entity-changes')).toContainText('paymentId');
    await expect(state).toContainText(`"orderId": "${orderId}"`);
    // The keyboard moves a step, and the address keeps it.
    const at = Number(new URL(trace.page.url()).searchParams.get('step'));
    await trace.page.keyboard.press('j');
    await expect.poll(() => Number(new URL(trace.page.url()).searchParams.get('step'))).toBe(at + 1);
    await saveScreenshot(live, 'entity-history');
  });

  test('a dead-lettered order is shown as such', async ({ live, traceView: trace }) => {
    const flow = await findFlow(demo, (f) => f.anomalyKinds.includes('dead-lettered'), 60_000);
    await live.open(demo.openUrl);
    await live.page.goto(`${demo.origin}/trace/${encodeURIComponent(flow.id)}`);
    await expect(trace.status).toHaveAttribute('data-status', 'failed');
    await expect(trace.deadLetterBadge).toBeVisible();
    await expect(trace.anomalies('dead-lettered')).toHaveCount(1);
    await expect(trace.timelineMark('payment.failed')).toBeVisible();
    await saveScreenshot(live, 'trace-dead-lettered');
  });
});
