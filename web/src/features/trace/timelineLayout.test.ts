import { describe, expect, it } from 'vitest';
import { T0, deadLetteredOrder, happyOrder, makeFlow } from './trace.fixtures';
import {
  TIMELINE,
  fitScale,
  layoutTimeline,
  tickStep,
  timelineExtent,
  zoomAt,
  type TimelineLayout,
} from './timelineLayout';

const labelSpan = (l: TimelineLayout, id: string) => {
  const m = l.marks.find((x) => x.eventId === id);
  if (!m) throw new Error(`no mark ${id}`);
  const half = (m.label.length * TIMELINE.charWidth) / 2;
  return { ...m, left: m.x - half, right: m.x + half };
};

describe('layoutTimeline', () => {
  it('draws one lane per service in order of first appearance, or one per channel', () => {
    const flow = deadLetteredOrder();
    const byService = layoutTimeline(flow, 'service', 1);
    expect(byService.lanes.map((l) => l.label)).toEqual(['order-service', 'inventory-service', 'payment-service']);
    const byChannel = layoutTimeline(flow, 'channel', 1);
    expect(byChannel.lanes.map((l) => l.label)).toEqual(['orders', 'inventory', 'payments', 'payments.dlq']);
    expect(byChannel.lanes.filter((l) => l.deadLetter).map((l) => l.label)).toEqual(['payments.dlq']);
    // Lanes stack without gaps or overlaps.
    byChannel.lanes.slice(1).forEach((lane, i) => {
      const prev = byChannel.lanes[i];
      expect(lane.y).toBe((prev?.y ?? 0) + (prev?.height ?? 0));
    });
  });

  it('gives a channel name used on two brokers a lane per broker, named with it', () => {
    const flow = makeFlow([
      { type: 'order.placed', channel: 'orders', at: 0 },
      { type: 'order.shipped', channel: 'orders', at: 40 },
      { type: 'order.billed', channel: 'billing', at: 80 },
    ]);
    const [placed, shipped, billed] = flow.events;
    const events = [placed!, { ...shipped!, source: { broker: 'redis' as const, cluster: 'cache' } }, billed!];
    const l = layoutTimeline({ ...flow, events }, 'channel', 1);
    expect(l.lanes.map((x) => x.label)).toEqual(['orders · demo shop', 'orders · redis cache', 'billing']);
  });

  it('places each event in time on its lane, with its type as label, in flow order', () => {
    const flow = happyOrder();
    const l = layoutTimeline(flow, 'service', 0.5);
    const { padLeft } = timelineExtent(flow.events);
    expect(l.marks.map((m) => m.label)).toEqual(flow.events.map((e) => e.type));
    expect(l.marks.map((m) => m.x)).toEqual(flow.events.map((e) => padLeft + (e.timestamp - T0) * 0.5));
    const lane = (laneId: string) => l.lanes.find((x) => x.id === laneId);
    for (const m of l.marks) {
      const own = lane(m.laneId);
      expect(m.y).toBeGreaterThan(own?.y ?? Infinity);
      expect(m.labelY).toBeLessThan((own?.y ?? 0) + (own?.height ?? 0));
    }
    expect(l.marks[3]?.laneId).toBe('order-service'); // order.confirmed back on the first lane
    expect(l.width).toBe(Math.ceil(padLeft * 2 + 900 * 0.5));
  });

  it('moves a mark whose label would overlap to its own row, so labels never collide', () => {
    const flow = deadLetteredOrder();
    const l = layoutTimeline(flow, 'service', 0.5);
    const [failed1, failed2, dlq] = [2, 3, 4].map((i) => labelSpan(l, flow.events[i]?.id ?? ''));
    expect(failed1?.row).toBe(0);
    expect(failed2?.row).toBe(0);
    expect(dlq?.row).toBe(1); // 1 ms after the second failure
    expect(l.lanes.find((x) => x.id === 'payment-service')?.rows).toBe(2);
    for (const a of l.marks)
      for (const b of l.marks) {
        if (a === b || a.laneId !== b.laneId || a.row !== b.row) continue;
        const sa = labelSpan(l, a.eventId);
        const sb = labelSpan(l, b.eventId);
        expect(sa.right <= sb.left || sb.right <= sa.left).toBe(true);
      }
    // Zoomed out, order.placed and order.cancelled crowd each other; zoomed in they share a row again.
    const rowsOf = (scale: number) =>
      layoutTimeline(flow, 'service', scale).lanes.find((x) => x.id === 'order-service');
    expect(rowsOf(0.05)?.rows).toBe(2);
    expect(rowsOf(1)?.rows).toBe(1);
  });

  it('connects hops with their latency, dashed when inferred, and marks anomalies', () => {
    const flow = deadLetteredOrder();
    const l = layoutTimeline(flow, 'service', 1);
    expect(l.hops.map((h) => h.label)).toEqual(['+80 ms', '+240 ms', '+630 ms', '+1 ms', '+39 ms']);
    expect(l.hops.every((h) => !h.inferred)).toBe(true);
    // Failure 1 → failure 2 stay on one row of payment-service: an arc over the lane.
    expect(l.hops[2]?.d).toMatch(/^M [\d.]+ [\d.]+ Q /);
    expect(l.hops[0]?.d).toMatch(/ C /);
    const severity = Object.fromEntries(l.marks.map((m) => [m.index, m.severity]));
    expect(severity).toEqual({ 0: null, 1: null, 2: 'failure', 3: 'failure', 4: 'dead-letter', 5: 'failure' });
    expect(l.marks[5]?.anomalies).toEqual(['unexpected-step']);

    const inferred = layoutTimeline(happyOrder(), 'service', 1).hops.at(-1);
    expect(inferred).toMatchObject({ inferred: true, label: '+80 ms' });
  });

  it('puts latency labels where they hide no mark, type label or other latency', () => {
    const flow = deadLetteredOrder();
    const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });
    for (const scale of [0.3, 1, 4]) {
      const l = layoutTimeline(flow, 'service', scale);
      const shown = l.hops.filter((h) => h.labelShown);
      const labelBoxes = shown.map((h) => {
        const w = h.label.length * TIMELINE.hopCharWidth;
        const x0 = h.labelAnchor === 'start' ? h.labelX : h.labelAnchor === 'end' ? h.labelX - w : h.labelX - w / 2;
        return box(x0, h.labelY - 10, x0 + w, h.labelY + 3);
      });
      const markBoxes = l.marks.flatMap((m) => {
        const half = (m.label.length * TIMELINE.charWidth) / 2;
        return [box(m.x - 7, m.y - 7, m.x + 7, m.y + 7), box(m.x - half, m.labelY - 10, m.x + half, m.labelY + 3)];
      });
      const hit = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) =>
        a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      labelBoxes.forEach((a, i) => {
        expect(markBoxes.some((m) => hit(a, m))).toBe(false);
        expect(labelBoxes.some((b, j) => j !== i && hit(a, b))).toBe(false);
      });
    }
    // With room to spare, every latency is shown.
    expect(layoutTimeline(flow, 'service', 4).hops.every((h) => h.labelShown)).toBe(true);
  });

  it('handles a flow of a single event', () => {
    const flow = makeFlow([{ type: 'order.placed', channel: 'orders', producer: 'order-service', at: 0 }]);
    const l = layoutTimeline(flow, 'service', fitScale(flow.events, 800));
    expect(l.marks).toHaveLength(1);
    expect(l.hops).toHaveLength(0);
    expect(l.ticks[0]).toEqual({ x: l.marks[0]?.x, label: '0' });
  });
});

describe('zoom', () => {
  it('fits the whole flow into the given width', () => {
    const flow = happyOrder();
    const scale = fitScale(flow.events, 1000);
    expect(layoutTimeline(flow, 'service', scale).width).toBeLessThanOrEqual(1001);
    expect(layoutTimeline(flow, 'service', scale * 2).width).toBeGreaterThan(1500);
  });

  it('keeps the time under the pointer in place', () => {
    const padLeft = 40;
    const before = { pxPerMs: 1, scrollLeft: 100, anchorPx: 200, padLeft };
    const timeUnder = (s: { pxPerMs: number; scrollLeft: number }) => (s.scrollLeft + 200 - padLeft) / s.pxPerMs;
    const after = zoomAt({ ...before, factor: 2 });
    expect(after.pxPerMs).toBe(2);
    expect(timeUnder(after)).toBeCloseTo(timeUnder(before));
    expect(zoomAt({ ...before, factor: 1e9 }).pxPerMs).toBe(TIMELINE.maxScale);
  });

  it('chooses round tick steps about 110 px apart', () => {
    expect(tickStep(1)).toBe(200);
    expect(tickStep(0.01)).toBe(20_000);
    expect(tickStep(40)).toBe(5);
    const l = layoutTimeline(happyOrder(), 'service', 1);
    expect(l.ticks.map((t) => t.label).slice(0, 3)).toEqual(['0', '200 ms', '400 ms']);
  });
});
