import { beforeEach, describe, expect, it } from 'vitest';
import { makeEvent } from '../test/events';
import { isGap, MAX_LIVE_ITEMS, selectTopology, useLiveStore } from './liveStore';

const store = () => useLiveStore.getState();
const seqs = () => store().items.flatMap((i) => (isGap(i) ? [] : [i.seq]));

beforeEach(() => store().reset());

describe('liveStore', () => {
  it('drops events it already has, e.g. replayed after a reconnect', () => {
    store().receiveEvents([makeEvent({ seq: 1 }), makeEvent({ seq: 2 })], 0, 0);
    store().receiveEvents([makeEvent({ seq: 2 }), makeEvent({ seq: 3 })], 0, 0);
    expect(seqs()).toEqual([1, 2, 3]);
    expect(store().lastSeq).toBe(3);
  });

  it('shows skipped events as a gap row before the batch', () => {
    store().receiveEvents([makeEvent({ seq: 1 })], 0, 0);
    store().receiveEvents([makeEvent({ seq: 40 })], 38, 5);
    const gap = store().items[1];
    expect(gap && isGap(gap) ? gap.skipped : null).toBe(38);
    expect(seqs()).toEqual([1, 40]);
  });

  it('says when events were not shown because the filter ran out of work before testing them', () => {
    store().receiveEvents([makeEvent({ seq: 50 })], 1200, 5, 1200);
    const gap = store().items[0];
    expect(gap && isGap(gap) ? [gap.cause, gap.skipped] : null).toEqual(['untested', 1200]);
  });

  it('keeps the newest items and counts what it dropped', () => {
    const events = Array.from({ length: MAX_LIVE_ITEMS + 25 }, (_, i) => makeEvent({ seq: i + 1 }));
    store().receiveEvents(events, 0, 0);
    expect(store().items).toHaveLength(MAX_LIVE_ITEMS);
    expect(store().dropped).toBe(25);
    expect(seqs()[0]).toBe(26);
  });

  it('freezes the visible list while paused and counts what arrives', () => {
    store().receiveEvents([makeEvent({ seq: 1 })], 0, 0);
    store().pause();
    store().receiveEvents([makeEvent({ seq: 2 }), makeEvent({ seq: 3 })], 0, 0);
    expect(store().frozen).toHaveLength(1);
    expect(store().newWhilePaused).toBe(2);
    store().resume();
    expect(store().frozen).toBeNull();
    expect(store().newWhilePaused).toBe(0);
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('pauses at a breakpoint’s event with the map as it was, and steps on event by event', () => {
    const map = (n: number) => ({ nodes: [], edges: [], generatedAt: n }) as never;
    store().receiveEvents(
      [1, 2, 3, 4].map((seq) => makeEvent({ seq })),
      0,
      0,
    );
    store().setTopology(map(1));
    store().pauseAt(2);
    const frozenSeqs = () => (store().frozen ?? []).flatMap((i) => (isGap(i) ? [] : [i.seq]));
    expect(frozenSeqs()).toEqual([1, 2]);
    expect(store().newWhilePaused).toBe(2);
    // The server's next map has the hit's event (the one in hand may not): it is the paused one.
    store().setTopology(map(2));
    expect(selectTopology(store())).toEqual(map(2));
    // After that the map the view shows stays as it was; the latest is kept for when it resumes.
    store().setTopology(map(3));
    expect(selectTopology(store())).toEqual(map(2));
    store().receiveEvents([makeEvent({ seq: 5 })], 3, 0); // with a gap before it
    store().advanceTo(4);
    expect(frozenSeqs()).toEqual([1, 2, 3, 4]);
    expect(store().newWhilePaused).toBe(1);
    store().advanceTo(5);
    expect(frozenSeqs()).toEqual([1, 2, 3, 4, 5]);
    expect(store().frozen?.some(isGap)).toBe(true);
    expect(store().newWhilePaused).toBe(0);
    store().resume();
    expect(selectTopology(store())).toEqual(map(3));
  });

  it('stops where it is for an event the browser no longer holds, and shows a step past dropped events as a gap', () => {
    store().receiveEvents(
      [10, 11, 12].map((seq) => makeEvent({ seq })),
      0,
      0,
    );
    store().pauseAt(3); // a flow stuck since long before anything here
    const frozenSeqs = () => (store().frozen ?? []).flatMap((i) => (isGap(i) ? [] : [i.seq]));
    expect(frozenSeqs()).toEqual([10, 11, 12]);
    // The cap pushes out events behind the paused view while it waits.
    const later = Array.from({ length: MAX_LIVE_ITEMS + 10 }, (_, i) => makeEvent({ seq: 13 + i }));
    store().receiveEvents(later, 0, 0);
    const oldestHeld = seqs()[0] as number;
    expect(oldestHeld).toBeGreaterThan(13);
    store().advanceTo(oldestHeld);
    const gap = store().frozen?.find(isGap);
    expect(gap && isGap(gap) ? gap.skipped : null).toBe(oldestHeld - 13);
    expect(frozenSeqs().at(-1)).toBe(oldestHeld);
  });

  it('notices a restarted server (lower seq) and accepts its events', () => {
    store().receiveEvents([makeEvent({ seq: 500 })], 0, 0);
    store().serverHello({ lastSeq: 3, version: '1' }, 9);
    store().receiveEvents([makeEvent({ seq: 4 })], 0, 0);
    expect(store().items.some((i) => isGap(i) && i.cause === 'server-restarted')).toBe(true);
    expect(seqs()).toEqual([500, 4]);
  });
});
