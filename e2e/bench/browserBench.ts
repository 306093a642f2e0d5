/**
 * Browser bench (issue 14): produce → painted in the live stream at a steady rate through a real
 * Redis, and a 300-node map panned while it grows, in Debian's Chromium through Playwright.
 * Needs the built server (`pnpm build`) and the machine's Redis; builds the web app itself. Not
 * part of the test run.
 *
 *   BENCH_BROWSER_RATE (5000) events/s, BENCH_BROWSER_SECONDS (20) measured after
 *   BENCH_BROWSER_WARMUP (3) s; BENCH_MAP_SECONDS (12); BENCH_REDIS_URL; BENCH_BROWSER_CASES
 *   (stream,map); BENCH_BROWSER_WEB_DIR (a prebuilt web app; default: build one).
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_URL } from '../fixtures/brokers.js';
import { mapCase } from './mapCase.js';
import { productionWeb } from './session.js';
import { streamCase } from './streamCase.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

if (!existsSync(join(root, 'server/dist/main.js')))
  throw new Error('server/dist/main.js is missing: run pnpm build first');
const webDir = productionWeb();
const cases = (process.env.BENCH_BROWSER_CASES ?? 'stream,map').split(',');
const redisUrl = process.env.BENCH_REDIS_URL ?? REDIS_URL;

console.log(
  `# Browser bench · ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium ${process.env.FLOWSCOPE_CHROMIUM ?? '/usr/bin/chromium'}`,
);
console.log(`load average before: ${load()}`);
if (cases.includes('stream')) {
  await streamCase({
    redisUrl,
    webDir,
    rate: num('BENCH_BROWSER_RATE', 5000),
    seconds: num('BENCH_BROWSER_SECONDS', 20),
    warmup: num('BENCH_BROWSER_WARMUP', 3),
  });
  console.log(`load average: ${load()}`);
}
if (cases.includes('map')) {
  await mapCase({ redisUrl, webDir, channels: 100, services: 200, seconds: num('BENCH_MAP_SECONDS', 12) });
  console.log(`load average after: ${load()}`);
}
