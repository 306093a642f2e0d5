/**
 * Soak (issue 17): the order traffic at 5,000 events/s through a real Redis for 30 minutes, with
 * the live view open in Chromium, printing the server's RSS and heap and the page's heap every
 * interval, and at the end what was produced, received and shown. A leak shows as a column that
 * keeps climbing; a server that falls behind shows as received < produced. Not part of the test
 * run (`pnpm bench` runs it last). Needs the built server (`pnpm build`) and the machine's Redis.
 *
 *   BENCH_SOAK_MINUTES (30), BENCH_SOAK_RATE (5000) events/s, BENCH_SOAK_EVERY (60) s between
 *   rows, BENCH_REDIS_URL, BENCH_BROWSER_WEB_DIR (a prebuilt web app; default: build one).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { HealthResponse } from '@flowscope/shared';
import { REDIS_URL } from '../fixtures/brokers.js';
import { openApp, openRedisSession, productionWeb, sleep } from './session.js';
import { connectRedis, orderEvent, orderStreams, produceAt } from './traffic.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const minutes = num('BENCH_SOAK_MINUTES', 30);
const rate = num('BENCH_SOAK_RATE', 5000);
const every = num('BENCH_SOAK_EVERY', 60);
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The server's resident memory as the kernel counts it. */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

const prefix = `flowscope-soak-${Date.now().toString(36)}`;
const redis = await connectRedis(process.env.BENCH_REDIS_URL ?? REDIS_URL);
for (const [n, s] of orderStreams(prefix).entries()) await redis.xAdd(s, '*', orderEvent(prefix, n, Date.now()).fields);
const session = await openRedisSession(productionWeb(), process.env.BENCH_REDIS_URL ?? REDIS_URL, prefix);
console.log(
  `# Soak · ${minutes} min at ${rate.toLocaleString('en')} events/s · ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
try {
  const { page, server } = session;
  await openApp(page, server.openUrl);
  const cdp = await page.context().newCDPSession(page);
  const health = async () =>
    (await (
      await fetch(`${server.origin}/api/health`, { headers: { authorization: `Bearer ${server.token}` } })
    ).json()) as HealthResponse;
  const started = Date.now();
  let producing = true;
  const total = rate * minutes * 60;
  // A loaded machine can starve Redis itself: the run then says so and still reports what it saw.
  const producer = produceAt(redis, rate, total, (n, at) => orderEvent(prefix, n, at))
    .catch((err: unknown) => {
      console.error(`producing stopped: ${String(err)}`);
      return { sent: Number.NaN, lateTicks: Number.NaN };
    })
    .finally(() => (producing = false));
  console.log('| minute | received | server RSS | server heap | page heap after GC | store backlog | load |');
  console.log('| -----: | -------: | ---------: | ----------: | -----------------: | ------------: | ---: |');
  const row = async () => {
    const h = await health();
    // After a full collection: what the page keeps, not the garbage V8 has not collected yet
    // (uncollected, the figure climbed to 250 MiB over 30 minutes while 14 MiB was kept).
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const received = h.sources.reduce((n, s) => n + s.eventsReceived, 0);
    console.log(
      `| ${((Date.now() - started) / 60_000).toFixed(1)} | ${received.toLocaleString('en')} | ${MiB(rssOf(server.pid))} | ${MiB(h.memory?.heapUsed ?? 0)} | ${MiB(usedSize)} | ${(h.store?.unwritten ?? 0).toLocaleString('en')} | ${loadavg()[0]?.toFixed(2)} |`,
    );
    return received;
  };
  while (producing) {
    await Promise.race([sleep(every * 1000), producer]);
    await row();
  }
  const produced = await producer;
  await sleep(5000); // the last events reach the server
  // The seed entries made the streams before the tap, which starts at their end: not counted.
  const received = await row();
  console.log(
    `produced ${produced.sent.toLocaleString('en')} (${produced.lateTicks} ticks behind schedule); received ${received.toLocaleString('en')}; behind at the end: ${(produced.sent - received).toLocaleString('en')}`,
  );
  await page.screenshot({ path: 'test-results/soak.png' });
} finally {
  await session.close();
  await redis.del(orderStreams(prefix)).catch((err: unknown) => console.error(`cleanup: ${String(err)}`));
  await redis.quit().catch(() => undefined);
}
