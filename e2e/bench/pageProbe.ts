/**
 * What the bench measures inside the page, installed before the app loads (addInitScript): it
 * must be self-contained, Playwright sends its source text. Times are epoch ms (timeOrigin +
 * performance clock), comparable with the producer's Date.now() on the same machine.
 *
 * - paint of each stream row: a row (`data-event-id`) gets `elementtiming` before its first
 *   paint, so Chromium reports when it was really presented (Element Timing); where it reports
 *   nothing the probe falls back to the end of the next frame (rAF, then a posted task);
 * - long tasks (PerformanceObserver 'longtask'), frame intervals (a rAF loop), and input
 *   responsiveness (Event Timing: from the input to the next paint).
 */
export type ProbeData = {
  painted: [id: string, at: number, how: 'element' | 'frame'][];
  longTasks: [at: number, duration: number][];
  frames: number[];
  inputs: [name: string, at: number, duration: number][];
  measures: [name: string, at: number, duration: number][];
  /** From each pointerdown to the end of the frame after it: how long a click waits to be seen. */
  clicks: [at: number, delay: number][];
  /** When each live `events` message reached the page's main thread, by the id of its first event. */
  dispatched: [firstId: string, at: number][];
};

export function installProbe(): void {
  const origin = performance.timeOrigin;
  const now = () => origin + performance.now();
  const data: ProbeData = {
    painted: [],
    longTasks: [],
    frames: [],
    inputs: [],
    measures: [],
    clicks: [],
    dispatched: [],
  };
  const byElement = new Set<string>();
  (window as unknown as { __fsProbe: ProbeData }).__fsProbe = data;

  const observe = (type: string, extra: Record<string, unknown>, handle: (e: PerformanceEntry) => void) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(handle)).observe({ type, buffered: true, ...extra });
    } catch {
      // an entry type this browser does not support: that figure stays empty
    }
  };
  observe('longtask', {}, (e) => data.longTasks.push([origin + e.startTime, e.duration]));
  observe('event', { durationThreshold: 16 }, (e) => data.inputs.push([e.name, origin + e.startTime, e.duration]));
  observe('measure', {}, (e) => {
    if (e.name.startsWith('flowscope:')) data.measures.push([e.name, origin + e.startTime, e.duration]);
  });
  observe('element', {}, (e) => {
    const t = e as PerformanceEntry & { identifier: string; renderTime: number };
    if (!t.identifier.startsWith('row:') || !t.renderTime) return;
    const id = t.identifier.slice(4);
    byElement.add(id);
    data.painted.push([id, origin + t.renderTime, 'element']);
  });

  /** Calls `done` at the end of the next frame (its rendering done), with what `take` said at its start. */
  const afterNextFrame = <T>(take: () => T, done: (t: number, taken: T) => void) =>
    requestAnimationFrame(() => {
      const taken = take();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(now(), taken);
      channel.port2.postMessage(0);
    });
  let pending: string[] = [];
  let scheduled = false;
  const mark = (el: Element) => {
    const id = (el as HTMLElement).dataset.eventId;
    if (!id) return;
    // Element Timing reports text through the element whose own children are text nodes.
    (el.firstElementChild ?? el).setAttribute('elementtiming', `row:${id}`);
    pending.push(id);
  };
  const mutations = new MutationObserver((records) => {
    for (const r of records)
      for (const n of Array.from(r.addedNodes)) {
        if (!(n instanceof HTMLElement)) continue;
        mark(n);
        n.querySelectorAll('[data-event-id]').forEach(mark);
      }
    if (pending.length === 0 || scheduled) return;
    scheduled = true;
    const take = () => {
      const ids = pending;
      pending = [];
      scheduled = false;
      return ids;
    };
    afterNextFrame(take, (t, ids) => {
      // Element Timing entries come later than this; kept only for rows it never reports.
      setTimeout(() => {
        for (const id of ids) if (!byElement.has(id)) data.painted.push([id, t, 'frame']);
      }, 1000);
    });
  });
  const Native = WebSocket;
  // Listens before socket.io's own handler (registered later), so this is when the task starts.
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e: MessageEvent) => {
        const text = typeof e.data === 'string' ? e.data : '';
        if (!text.startsWith('42/live,["events"')) return;
        const m = /"id":"((?:[^"\\]|\\.)*)"/.exec(text.slice(0, 2000));
        if (m?.[1]) data.dispatched.push([JSON.parse(`"${m[1]}"`) as string, now()]);
      });
    }
  };
  const frame = () => {
    data.frames.push(now());
    requestAnimationFrame(frame);
  };
  addEventListener(
    'pointerdown',
    (e) => {
      const at = origin + e.timeStamp;
      afterNextFrame(
        () => at,
        (t) => data.clicks.push([at, t - at]),
      );
    },
    true,
  );
  document.addEventListener('DOMContentLoaded', () => {
    mutations.observe(document.body, { childList: true, subtree: true });
    requestAnimationFrame(frame);
  });
}
