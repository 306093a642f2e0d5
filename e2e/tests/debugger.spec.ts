import { Kafka, logLevel } from 'kafkajs';
import { createTopic } from '../fixtures/brokers.js';
import { DebuggerPage } from '../fixtures/debuggerPage.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { expect, saveScreenshot, test } from '../fixtures/test.js';

/** Breakpoints are the server's: each describe gets a server of its own, so no other test's view stops. */
const api = (flowscope: FlowscopeProcess, path: string, init: RequestInit = {}) =>
  fetch(`${flowscope.origin}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${flowscope.token}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  });

test.describe('the debugger on the demo', () => {
  let flowscope: FlowscopeProcess;
  test.beforeAll(async () => {
    flowscope = await launchFlowscope(['--demo-rate', '15']);
  });
  test.afterAll(async () => {
    await flowscope.stop();
  });

  test('a breakpoint on a failing payment stops the view at the failure, and stepping follows the flow', async ({
    live,
  }) => {
    const debug = new DebuggerPage(live.page);
    await live.open(flowscope.openUrl);
    await expect(debug.bar).toBeHidden();
    // An expression that does not compile is refused as it is typed.
    await debug.openPanel();
    await debug.panel.getByRole('textbox', { name: 'Breakpoint expression' }).fill('type ==');
    await expect(debug.panel.getByRole('button', { name: 'Add' })).toBeDisabled();
    await debug.add('type == "payment.failed"');

    // The view stops at the failure: it is open in the inspector, its flow lit.
    await expect(debug.bar).toHaveAttribute('data-reason', 'breakpoint', { timeout: 45_000 });
    await expect(debug.status).toContainText('Stopped at breakpoint “type == "payment.failed"”');
    await expect(debug.status).toContainText('Only this view is paused');
    await expect(live.inspector.getByText('payment.failed', { exact: true })).toBeVisible();
    const failure = await debug.inspected();
    expect(failure).toMatch(/^demo\/shop\/payments\//);
    expect(new URL(live.page.url()).searchParams.get('event')).toBe(failure);
    await expect(debug.flowRows.first()).toBeVisible();
    const flowRowIds = await debug.flowRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
    expect(flowRowIds).toContain(failure);
    await expect(live.map.locator('.react-flow__node.fs-debug-flow')).not.toHaveCount(0);

    // Frozen: the stream's newest row and the map's counts stay; events go on arriving behind it.
    await expect(debug.bar).toHaveAttribute('data-map', 'frozen');
    const top = await live.topRowId();
    expect(top).toBe(failure);
    const orderService = live.mapNode('service', 'order-service');
    const mapText = await orderService.innerText();
    const behind = await debug.behind();
    await expect.poll(() => debug.behind(), { timeout: 15_000 }).toBeGreaterThan(behind + 5);
    expect(await live.topRowId()).toBe(failure);
    expect(await orderService.innerText()).toBe(mapText);
    await saveScreenshot(live, 'debugger-stopped');

    // Next in flow: the order's next event, whatever came in between.
    const key = await live.inspector.locator('.fs-inspector__key').innerText();
    await live.page.keyboard.press('f');
    await expect.poll(() => debug.inspected(), { timeout: 20_000 }).not.toBe(failure);
    await expect(live.inspector.locator('.fs-inspector__key')).toHaveText(key);
    const inFlow = await debug.inspected();
    expect(await live.topRowId()).toBe(inFlow);
    expect(await debug.flowRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')))).toContain(
      inFlow,
    );

    // Next event: the one right after, in any flow.
    await debug.step('event').click();
    await expect.poll(() => debug.inspected()).not.toBe(inFlow);
    const next = await debug.inspected();
    expect(await live.topRowId()).toBe(next);

    // The breakpoint counted its hits; disabled, it stops nothing more.
    await debug.openPanel();
    const item = debug.items.first();
    await expect.poll(async () => Number(await item.getAttribute('data-hits'))).toBeGreaterThan(0);
    await item.getByRole('checkbox').uncheck();
    await expect(item).toHaveClass(/is-off/);

    // Resume: live again, the bar gone, the newest events on top.
    await live.page.keyboard.press('Escape'); // closes the panel
    await live.page.keyboard.press('r');
    await expect(debug.bar).toBeHidden();
    await expect.poll(() => live.topRowId()).not.toBe(next);

    // Removed, it is gone.
    await debug.openPanel();
    await item.getByRole('button', { name: /Remove breakpoint/ }).click();
    await expect(debug.items).toHaveCount(0);
  });

  test('an event in the inspector sets a breakpoint on events like it', async ({ live }) => {
    const debug = new DebuggerPage(live.page);
    await live.open(flowscope.openUrl);
    await live.row('shipment.created').click();
    await expect(debug.breakOnEvent).toHaveAttribute(
      'data-expression',
      'type == "shipment.created" && channel == "shipments"',
    );
    await debug.breakOnEvent.click();
    await expect(debug.breakOnEvent).toHaveText('✓ Breakpoint set');
    await expect(debug.bar).toHaveAttribute('data-reason', 'breakpoint', { timeout: 30_000 });
    await expect(live.inspector.getByText('shipment.created', { exact: true })).toBeVisible();
    // Next match: the following shipment, skipping what came in between.
    const first = await debug.inspected();
    await debug.step('match').click();
    await expect.poll(() => debug.inspected(), { timeout: 30_000 }).not.toBe(first);
    await expect(live.inspector.getByText('shipment.created', { exact: true })).toBeVisible();
    const { breakpoints } = (await (await api(flowscope, '/api/breakpoints')).json()) as {
      breakpoints: { id: string }[];
    };
    for (const b of breakpoints)
      expect((await api(flowscope, `/api/breakpoints/${b.id}`, { method: 'DELETE' })).status).toBe(204);
    await debug.resume.click();
    await expect(debug.bar).toBeHidden();
  });
});

test.describe('the debugger on real Kafka', () => {
  const topic = 'e2e-debug-orders';
  let flowscope: FlowscopeProcess;
  test.beforeAll(async ({ kafka }) => {
    const admin = new Kafka({ clientId: 'e2e-debug', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
    await createTopic(admin, topic, 1);
    flowscope = await launchFlowscope(['--kafka', kafka.brokers, '--topics', topic, '--cluster', 'dbg']);
  });
  test.afterAll(async () => {
    await flowscope.stop();
  });

  test('a breakpoint set through the API stops the view; a step in the flow waits for its next event', async ({
    live,
    kafka,
  }) => {
    const debug = new DebuggerPage(live.page);
    const client = new Kafka({ clientId: 'e2e-debug', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
    const producer = client.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const order = (id: string, type: string, amount: number) => ({
      key: id,
      value: JSON.stringify({ orderId: id, amount }),
      headers: { 'correlation-id': `corr-${id}`, ce_type: type, ce_source: 'checkout-api' },
    });
    try {
      const set = await api(flowscope, '/api/breakpoints', {
        method: 'POST',
        body: JSON.stringify({ expression: 'payload.amount > 1000', label: 'big order' }),
      });
      expect(set.status).toBe(201);
      await live.open(flowscope.openUrl);
      await expect(live.source('kafka:dbg')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
      await producer.send({
        topic,
        messages: [
          order('D-1', 'order.placed', 20),
          order('D-2', 'order.placed', 5000),
          order('D-3', 'order.placed', 30),
        ],
      });
      await expect(debug.bar).toHaveAttribute('data-reason', 'breakpoint', { timeout: 30_000 });
      await expect(debug.status).toContainText('“big order”');
      await expect(live.payload).toContainText('5000');
      // The paused map has the event it stopped at (the map in hand may predate it), and its flow lit.
      await expect(live.map.locator('.react-flow__node.fs-debug-flow')).toHaveCount(2);
      await expect(live.mapNode('channel', topic)).toBeVisible();
      const stopped = await debug.inspected();

      // The order's next step has not happened yet: the step waits for it, then goes there.
      await debug.step('flow').click();
      await expect(debug.waiting).toContainText('Waiting for the next event of this flow');
      await producer.send({ topic, messages: [order('D-2', 'payment.captured', 5000)] });
      await expect(debug.waiting).toBeHidden({ timeout: 30_000 });
      expect(await debug.inspected()).not.toBe(stopped);
      await expect(live.inspector.getByText('payment.captured', { exact: true })).toBeVisible();
      // D-3 arrived in between; the view shows it now (it came before the captured payment).
      await expect(live.row('D-3')).toBeVisible();
      await saveScreenshot(live, 'debugger-kafka-step');
      await debug.resume.click();
      await expect(debug.bar).toBeHidden();
    } finally {
      await producer.disconnect();
    }
  });
});
