import { expect, type Page } from '@playwright/test';
import { mapMarkers } from '../../web/src/features/map/map.markers.js';
import { startProfile, startTrace } from './profile.js';
import { openApp, openRedisSession, readProbe, sleep } from './session.js';
import { frameSummary, longTaskSummary, summarize } from './stats.js';
import { connectRedis } from './traffic.js';

type Options = Readonly<{ redisUrl: string; webDir: string; channels: number; services: number; seconds: number }>;

/**
 * The traffic of a big system: service i writes to channel i mod C, reacting to a message of
 * channel (37 i + 11) mod C (its causation id), so the map has produces and inferred consumes
 * edges in long chains, as many services as asked beside the channels.
 */
function entry(prefix: string, channels: number, service: number, round: number) {
  const cause = (service * 37 + 11) % channels;
  const fields: Record<string, string> = {
    payload: JSON.stringify({ service, round }),
    producer: `svc-${String(service).padStart(3, '0')}`,
    type: `step.${service % 7}`,
    'message-id': `m-${service}-${round}`,
  };
  if (round > 0) fields['causation-id'] = `m-${cause}-${round - 1}`;
  return { stream: `${prefix}:ch-${String(service % channels).padStart(3, '0')}`, fields };
}

/** Drags the map around (and zooms a little) until `until`, like a user looking for something. */
async function pan(page: Page, until: number) {
  const box = await page.getByTestId(mapMarkers.root).boundingBox();
  if (!box) throw new Error('the map is not on the page');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let direction = 1;
  while (Date.now() < until) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 30; i++) await page.mouse.move(cx + direction * i * 8, cy + direction * i * 3);
    await page.mouse.up();
    await page.mouse.wheel(0, direction * -120);
    direction = -direction;
  }
}

/** A map of `channels + services` nodes that keeps growing while it is panned: layout time, long tasks, frames. */
export async function mapCase(o: Options) {
  const prefix = `flowscope-bench-map-${Date.now().toString(36)}`;
  const redis = await connectRedis(o.redisUrl);
  const streams = Array.from({ length: o.channels }, (_, c) => `${prefix}:ch-${String(c).padStart(3, '0')}`);
  for (const s of streams) await redis.xAdd(s, '*', { payload: '{}' });
  const session = await openRedisSession(o.webDir, o.redisUrl, prefix);
  const total = o.channels + o.services;
  const nodes = session.page.getByTestId(mapMarkers.root).locator('[data-node-kind]');
  try {
    const { page } = session;
    await openApp(page, session.server.openUrl);
    let active = o.services - 10; // the last ten join while the map is panned
    let round = 0;
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        await Promise.all(
          Array.from({ length: active }, (_, s) => {
            const e = entry(prefix, o.channels, s, round);
            return redis.xAdd(e.stream, '*', e.fields);
          }),
        );
        round++;
        await sleep(250);
      }
    })().catch((e: unknown) => {
      stop = true;
      return e; // reported below; a rejection left unawaited would end the process before cleanup
    });
    const building = Date.now();
    await expect(nodes).toHaveCount(total - 10, { timeout: 90_000 });
    const built = Date.now() - building;

    await sleep(2000);
    const from = Date.now();
    const profileFile = process.env.BENCH_BROWSER_PROFILE?.replace(/(\.cpuprofile)?$/, '-map.cpuprofile');
    const stopProfile = profileFile ? await startProfile(await page.context().newCDPSession(page)) : null;
    const traceFile = process.env.BENCH_BROWSER_TRACE?.replace(/(\.json)?$/, '-map.json');
    const stopTrace = traceFile ? await startTrace(await page.context().newCDPSession(page)) : null;
    const growing = setInterval(() => (active = Math.min(o.services, active + 1)), (o.seconds * 1000) / 12);
    await pan(page, from + o.seconds * 1000);
    const to = Date.now();
    if (stopProfile && profileFile) await stopProfile(profileFile);
    if (stopTrace && traceFile) await stopTrace(traceFile);
    clearInterval(growing);
    active = o.services;
    await expect(nodes).toHaveCount(total, { timeout: 30_000 });
    stop = true;
    const failed = await traffic;
    if (failed) throw failed;
    await sleep(500);
    await page.screenshot({ path: 'test-results/browser-bench-map.png' });
    const probe = await readProbe(page);
    const layouts = probe.measures.filter(([name]) => name === 'flowscope:map-layout');
    console.log(
      `\n## Map: ${o.channels} channels + ${o.services} services (${total} nodes), panned for ${o.seconds} s while 10 services join`,
    );
    console.log(`first ${total - 10} nodes on the map ${(built / 1000).toFixed(1)} s after the traffic started`);
    console.log(`layouts (request → positions back on the main thread): ${summarize(layouts.map(([, , d]) => d))}`);
    console.log(`while panning: main thread ${longTaskSummary(probe.longTasks, from, to)}`);
    console.log(`while panning: frames ${frameSummary(probe.frames, from, to)}`);
    const presses = probe.clicks.filter(([at]) => at >= from && at <= to).map(([, d]) => d);
    console.log(`while panning: each drag's pointerdown → end of next frame: ${summarize(presses)}`);
    const all = probe.longTasks.filter(([at]) => at >= building);
    console.log(`whole map case: ${longTaskSummary(all, building, to)}`);
  } finally {
    await session.close();
    await redis.del(streams);
    await redis.quit();
  }
}
