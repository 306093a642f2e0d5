import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import { statusMarkers } from '../../web/src/features/status/status.markers.js';
import { chromiumLaunchOptions } from '../fixtures/chromium.js';
import { launchFlowscope, type FlowscopeProcess } from '../fixtures/flowscope.js';
import { installProbe, type ProbeData } from './pageProbe.js';

export type Session = { server: FlowscopeProcess; browser: Browser; page: Page; close(): Promise<void> };

/** The built server on the given sources, and Chromium (as the e2e tests launch it) on its URL, probed. */
async function openSession(serverArgs: string[]): Promise<Session> {
  const server = await launchFlowscope(serverArgs);
  const browser = await chromium.launch(chromiumLaunchOptions);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // tsx (esbuild) wraps named functions in `__name(…)`, which the page does not have.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(installProbe);
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('crash', () => console.error('the page crashed'));
  return {
    server,
    browser,
    page,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** The built web app served by Flowscope tapping the Redis streams under `prefix` (groups not read). */
export const openRedisSession = (webDir: string, redisUrl: string, prefix: string): Promise<Session> =>
  openSession([
    ...['--web-dir', webDir, '--no-demo', '--redis', redisUrl],
    ...['--streams', `${prefix}:*`, '--redis-group-refresh', '0'],
  ]);

export async function openApp(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId(statusMarkers.connection)).toHaveAttribute('data-state', 'connected', {
    timeout: 20_000,
  });
}

export const readProbe = (page: Page) => page.evaluate(() => (window as unknown as { __fsProbe: ProbeData }).__fsProbe);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The web app built for production into a directory of its own (web/dist is rebuilt by whoever
 * builds in this tree, and a development build of React is several times slower), removed at
 * exit. BENCH_BROWSER_WEB_DIR: a build made beforehand (`vite build --outDir …`), so two builds
 * can be compared A/B in back-to-back runs while the tree changes.
 */
export function productionWeb(): string {
  const prebuilt = process.env.BENCH_BROWSER_WEB_DIR;
  if (prebuilt) return prebuilt;
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-bench-web-'));
  execFileSync(
    join(root, 'node_modules/.bin/vite'),
    ['build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    },
  );
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
