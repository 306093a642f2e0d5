import type { CDPSession, Page } from '@playwright/test';
import { streamMarkers } from '../../web/src/features/stream/stream.markers.js';
import { startProfile, startTrace } from './profile.js';
import { openApp, openRedisSession, readProbe, sleep } from './session.js';
import { frameSummary, longTaskSummary, summarize } from './stats.js';
import { connectRedis, orderEvent, orderStreams, produceAt } from './traffic.js';

type Options = Readonly<{ redisUrl: string; webDir: string; rate: number; seconds: number; warmup: number }>;

/** One live batch as Chromium received it over the WebSocket. */
type Frame = { arrivedAt: number; events: { id: string; producedAt: number; receivedAt: number }[]; skipped: number };

/**
 * Records every socket.io `events` batch the page receives, with Chromium's own arrival time,
 * through the DevTools protocol: nothing runs in the page for it.
 */
async function recordBatches(cdp: CDPSession): Promise<Frame[]> {
  const frames: Frame[] = [];
  let wallOffset = Number.NaN; // wall clock (ms) minus the protocol's monotonic clock (s → ms)
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e) => {
    wallOffset = e.wallTime * 1000 - e.timestamp * 1000;
  });
  cdp.on('Network.webSocketFrameReceived', (e) => {
    const text = e.response.payloadData;
    if (!text.startsWith('42/live,["events"')) return;
    const [, batch] = JSON.parse(text.slice(text.indexOf('['))) as [
      string,
      { events: { id: string; receivedAt: number; payload: { value?: string } }[]; skipped: number },
    ];
    frames.push({
      arrivedAt: e.timestamp * 1000 + wallOffset,
      skipped: batch.skipped,
      events: batch.events.map((ev) => ({
        id: ev.id,
        receivedAt: ev.receivedAt,
        producedAt: Number(/"producedAt":(\d+)/.exec(ev.payload.value ?? '')?.[1] ?? Number.NaN),
      })),
    });
  });
  await cdp.send('Network.enable');
  return frames;
}

/** Clicks the filter box and leaves it with Esc every 2 s: harmless, and each click's delay is measured. */
async function keepClicking(page: Page, until: () => boolean) {
  const box = page.getByTestId(streamMarkers.filterInput);
  let clicks = 0;
  while (!until()) {
    try {
      await box.click({ timeout: 15_000 });
      await page.keyboard.press('Escape');
      clicks++;
    } catch (e) {
      await page.screenshot({ path: 'test-results/browser-bench-click.png' }).catch(() => undefined);
      console.error(`a click during the run failed (screenshot in test-results/): ${String(e)}`);
      return clicks;
    }
    await sleep(2000);
  }
  return clicks;
}

/** Produce → painted at a steady rate through a real Redis, into the live view. */
export async function streamCase(o: Options) {
  const prefix = `flowscope-bench-${Date.now().toString(36)}`;
  const redis = await connectRedis(o.redisUrl);
  // The streams exist before the tap starts, so it reads them from the start of the run.
  for (const [n, s] of orderStreams(prefix).entries())
    await redis.xAdd(s, '*', orderEvent(prefix, n, Date.now()).fields);
  const session = await openRedisSession(o.webDir, o.redisUrl, prefix);
  try {
    const { page } = session;
    const cdp = await page.context().newCDPSession(page);
    const frames = await recordBatches(cdp);
    await openApp(page, session.server.openUrl);
    await sleep(1000);

    const started = Date.now();
    const measureFrom = started + o.warmup * 1000;
    const measureTo = measureFrom + o.seconds * 1000;
    let producing = true;
    // Never rejects: a failure of the run itself must reach the finally below, which stops the server.
    const clicking = (async () => {
      await sleep(o.warmup * 1000);
      return keepClicking(page, () => !producing);
    })().catch(() => 0);
    const profileFile = process.env.BENCH_BROWSER_PROFILE?.replace(/(\.cpuprofile)?$/, '-stream.cpuprofile');
    const stopProfile = profileFile ? await startProfile(cdp) : null;
    const traceFile = process.env.BENCH_BROWSER_TRACE?.replace(/(\.json)?$/, '-stream.json');
    const stopTrace = traceFile ? await startTrace(cdp) : null;
    const produced = await produceAt(redis, o.rate, o.rate * (o.warmup + o.seconds), (n, at) =>
      orderEvent(prefix, n, at),
    ).finally(() => (producing = false));
    const clicks = await clicking;
    await page.screenshot({ path: 'test-results/browser-bench-stream.png' });
    const producedFor = (Date.now() - started) / 1000;
    await sleep(2500); // the last batches arrive and paint; Element Timing reports come in
    if (stopProfile && profileFile) await stopProfile(profileFile);
    if (stopTrace && traceFile) await stopTrace(traceFile);
    const probe = await readProbe(page);
    report(o, frames, probe, { measureFrom, measureTo, produced, producedFor, clicks });
  } finally {
    await session.close();
    await redis.del(orderStreams(prefix));
    await redis.quit();
  }
}

type RunInfo = Readonly<{
  measureFrom: number;
  measureTo: number;
  produced: { sent: number; lateTicks: number };
  producedFor: number;
  clicks: number;
}>;

function report(o: Options, frames: Frame[], probe: Awaited<ReturnType<typeof readProbe>>, run: RunInfo) {
  const inWindow = (t: number) => t >= run.measureFrom && t <= run.measureTo;
  const produced = new Map<string, number>();
  for (const f of frames) for (const e of f.events) produced.set(e.id, e.producedAt);

  // Rows that were on screen: produce → that row's own first paint.
  const rowLatency: number[] = [];
  let byElement = 0;
  const firstPaint = new Map<string, number>();
  for (const [id, at, how] of probe.painted) {
    if (firstPaint.has(id)) continue;
    firstPaint.set(id, at);
    const p = produced.get(id);
    if (p === undefined || !inWindow(p)) continue;
    rowLatency.push(at - p);
    if (how === 'element') byElement++;
  }

  // Every event: produce → the first paint of the stream that holds it. Batches are appended in
  // order, so a row of this batch or of any later one painted means this batch was in the list.
  const batchPaint = frames.map((f) => Math.min(...f.events.map((e) => firstPaint.get(e.id) ?? Infinity)));
  for (let i = batchPaint.length - 2; i >= 0; i--)
    batchPaint[i] = Math.min(batchPaint[i] ?? Infinity, batchPaint[i + 1] ?? Infinity);
  const allLatency: number[] = [];
  const toServer: number[] = [];
  const toBrowser: number[] = [];
  const browserSide: number[] = [];
  const toMainThread: number[] = [];
  const dispatched = new Map(probe.dispatched);
  let neverPainted = 0;
  let skipped = 0;
  frames.forEach((f, i) => {
    for (const e of f.events) {
      if (!inWindow(e.producedAt)) continue;
      toServer.push(e.receivedAt - e.producedAt);
      toBrowser.push(f.arrivedAt - e.producedAt);
      const painted = batchPaint[i] ?? Infinity;
      if (Number.isFinite(painted)) allLatency.push(painted - e.producedAt);
      else neverPainted++;
    }
    if (inWindow(f.arrivedAt)) skipped += f.skipped;
    const painted = batchPaint[i] ?? Infinity;
    if (inWindow(f.arrivedAt) && Number.isFinite(painted)) browserSide.push(painted - f.arrivedAt);
    const task = dispatched.get(f.events[0]?.id ?? '');
    if (inWindow(f.arrivedAt) && task !== undefined) toMainThread.push(task - f.arrivedAt);
  });
  const delivered = toServer.length;

  console.log(
    `\n## Stream: produce → painted, ${o.rate.toLocaleString('en')} events/s for ${o.seconds} s (after ${o.warmup} s warm-up)`,
  );
  console.log(
    `produced ${run.produced.sent.toLocaleString('en')} XADDs in ${run.producedFor.toFixed(1)} s (${Math.round(run.produced.sent / run.producedFor).toLocaleString('en')}/s; producer ticks > 20 ms behind: ${run.produced.lateTicks})`,
  );
  console.log(
    `delivered to the page in the window: ${delivered.toLocaleString('en')} events in ${frames.filter((f) => inWindow(f.arrivedAt)).length} batches; announced as skipped: ${skipped}`,
  );
  console.log(
    `rows on screen, produce → painted:        ${summarize(rowLatency)}  (${byElement} by Element Timing, the rest end of next frame)`,
  );
  console.log(
    `every event, produce → stream painted:    ${summarize(allLatency)}${neverPainted ? `  (${neverPainted} never painted)` : ''}`,
  );
  console.log(`  of which produce → server received:    ${summarize(toServer)}`);
  console.log(`  of which produce → browser received:   ${summarize(toBrowser)}`);
  console.log(`each batch, browser received → painted: ${summarize(browserSide)}`);
  console.log(`  of which received → main thread task:  ${summarize(toMainThread)}`);
  console.log(`main thread: ${longTaskSummary(probe.longTasks, run.measureFrom, run.measureTo)}`);
  console.log(`frames: ${frameSummary(probe.frames, run.measureFrom, run.measureTo)}`);
  const clickDelays = probe.clicks.filter(([at]) => inWindow(at)).map(([, d]) => d);
  const slowInputs = probe.inputs.filter(([, at]) => inWindow(at));
  console.log(
    `clicks during the run (${run.clicks}), pointerdown → end of next frame: ${summarize(clickDelays)}; Event Timing entries over 16 ms: ${slowInputs.length}${slowInputs.length ? ` (longest ${Math.round(Math.max(...slowInputs.map(([, , d]) => d)))} ms)` : ''}`,
  );
}
