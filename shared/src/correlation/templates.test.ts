import { describe, expect, it } from 'vitest';
import { makeEvent } from './harness.testkit.js';
import { createTemplateAcc, learnFlow, templateOf } from './templates.js';

/** Learns `count` two-step flows (placed → paid) that took `durationMs`, the paid step `durationMs` after its cause. */
function learn(acc: ReturnType<typeof createTemplateAcc>, count: number, durationMs: number, from: number) {
  for (let i = from; i < from + count; i++) {
    const placed = makeEvent(`placed-${i}`, { type: 'order.placed', at: 1000 });
    const paid = makeEvent(`paid-${i}`, { type: 'payment.captured', at: 1000 + durationMs, causedBy: `placed-${i}` });
    learnFlow(acc, [placed, paid], new Map([[paid.id, durationMs]]));
  }
}

describe('flow templates', () => {
  it('follow the kind as it changes: durations and step latencies move with new flows, counts are exact', () => {
    const acc = createTemplateAcc('order');
    learn(acc, 300, 10, 0);
    expect(templateOf(acc)).toMatchObject({ samples: 300, p50DurationMs: 10, p99DurationMs: 10 });
    // The service slows down: most flows now take half a second.
    learn(acc, 700, 500, 300);
    const t = templateOf(acc);
    expect(t).toMatchObject({ samples: 1000, canonicalCount: 1000, p50DurationMs: 500, p99DurationMs: 500 });
    expect(t.steps.map((s) => [s.step, s.count, s.p50Ms])).toEqual([
      ['order.placed@orders', 1000, 0],
      ['payment.captured@orders', 1000, 500],
    ]);
    // A few flows only: the template is exact after each one.
    const small = createTemplateAcc('refund');
    learn(small, 1, 10, 0);
    learn(small, 2, 40, 1);
    expect(templateOf(small)).toMatchObject({ samples: 3, p50DurationMs: 40, p99DurationMs: 40 });
  });

  it('time a flow that fans out to its last reaction, not to its last step in order', () => {
    const acc = createTemplateAcc('order.placed');
    // placed → reserved (10 ms) → shipped (1,000 ms later); placed → mailed (20 ms): in causal
    // order the mail comes last, the shipment 1,010 ms after the order.
    const placed = makeEvent('fan-placed', { type: 'order.placed', at: 0 });
    const reserved = makeEvent('fan-reserved', { type: 'reserved', at: 10, causedBy: 'fan-placed' });
    const shipped = makeEvent('fan-shipped', { type: 'shipped', at: 1010, causedBy: 'fan-reserved' });
    const mailed = makeEvent('fan-mailed', { type: 'mailed', at: 20, causedBy: 'fan-placed' });
    learnFlow(acc, [placed, reserved, shipped, mailed], new Map());
    expect(templateOf(acc).p50DurationMs).toBe(1010);
    expect(acc.endedAt).toEqual([1010]);
  });
});
