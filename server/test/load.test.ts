import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '@flowscope/shared';
import type { RunningServer } from '../src/server.js';
import { api, eventually, startFlowscope, TOKEN } from './helpers.js';
import type { ChildMessage, ParentMessage } from './loadClients.js';

/**
 * The load a busy team puts on one Flowscope: 200 live sockets (10 of them stalled, like frozen
 * tabs) on the demo at 500 orders/s, on this 2-core machine shared with the clients' process.
 */
const SOCKETS = 200;
const STALLED = 10;
/** Demo orders per second: about 8 events each, so some 4,000 events/s when the loop keeps up. */
const DEMO_RATE = 500;
const RUN_MS = 20_000;
const WRONG_TOKEN_HANDSHAKES = 200;
/**
 * Budgets. Retained heap (after a full GC) may grow by what the sockets hold: a stalled client
 * keeps at most ~9 queued packets and 1 MB of socket buffer before it is skipped (~2 MB each, 20 MB
 * for 10), and 200 sockets' state a few MB; 64 MB is that with 2x headroom. An unbounded queue
 * would take 10 x ~4 MB/s x 20 s = 800 MB. RSS also holds garbage not yet collected and freed
 * pages not yet returned (+40–65 MB seen at peak), hence 256 MB.
 */
const HEAP_GROWTH_BUDGET = 64 * 1024 * 1024;
const RSS_GROWTH_BUDGET = 256 * 1024 * 1024;
/** A live view feels live under a second behind; a health probe (or a page's first fetch) within one. */
const LATENCY_P95_MS = 1000;
const HEALTH_MAX_MS = 1000;

// A full collection before each reading, so retained memory is compared, not GC timing.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: RunningServer;
beforeAll(async () => {
  server = await startFlowscope(['--demo-rate', String(DEMO_RATE)]);
});
afterAll(() => server.close());

/** The live clients, in a process of their own (see loadClients.ts), and a way to ask them for the next step. */
function startClients() {
  const child = fork(
    fileURLToPath(new URL('./loadClients.ts', import.meta.url)),
    [server.url, TOKEN, String(SOCKETS), String(STALLED)],
    { execArgv: ['--import', 'tsx'], stdio: 'inherit' },
  );
  const next = <K extends ChildMessage['kind']>(kind: K, timeoutMs = 30_000) =>
    new Promise<Extract<ChildMessage, { kind: K }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the load clients did not report '${kind}'`)), timeoutMs);
      const on = (m: ChildMessage) => {
        if (m.kind !== kind) return;
        clearTimeout(timer);
        child.off('message', on);
        resolve(m as Extract<ChildMessage, { kind: K }>);
      };
      child.on('message', on);
    });
  return { next, tell: (m: ParentMessage) => child.send(m), kill: () => child.kill('SIGKILL') };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Events ingested per second over `ms`. */
async function ingestRate(ms: number) {
  const seq0 = server.pipeline.queries.latestSeq;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  return ((server.pipeline.queries.latestSeq - seq0) * 1000) / (Date.now() - t0);
}

/** Memory of this process (the server: the clients run in their own) sampled while the load runs. */
function memorySampler() {
  const peak = { rss: 0, heapUsed: 0 };
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  }, 250);
  return { peak, stop: () => clearInterval(timer) };
}

/** How a live handshake ends: 'connected', or the server's refusal message. */
async function handshake(token: string): Promise<string> {
  const c = io(`${server.url}${LIVE_NAMESPACE}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  const outcome = await new Promise<string>((resolve) => {
    c.once('connect', () => resolve('connected'));
    c.once('connect_error', (e) => resolve(e.message));
  });
  c.close();
  return outcome;
}

const rightTokenConnects = async () => (await handshake(TOKEN)) === 'connected';

/** Live handshakes with wrong tokens, one after another, as a guessing script makes them. */
async function wrongTokenHandshakes(n: number) {
  const counts = { limited: 0, unauthorized: 0, connected: 0, seconds: 0 };
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    const outcome = await handshake(`guess-${i}`);
    if (outcome === 'connected') counts.connected += 1;
    else if (outcome.includes('too-many-wrong-tokens')) counts.limited += 1;
    else if (outcome.startsWith('unauthorized')) counts.unauthorized += 1;
  }
  counts.seconds = (Date.now() - t0) / 1000;
  return counts;
}

/** /api/health asked every 250 ms: the slowest answer is what a user (or a probe) would wait. */
function healthProbe() {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const { status } = await api(server, '/api/health');
      times.push(status === 200 ? performance.now() - t0 : Number.POSITIVE_INFINITY);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    times,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('the server under load', () => {
  it('keeps memory, latency and health with 200 sockets (10 stalled) at full ingest, and rate-limits wrong tokens', async () => {
    // Warm-up: the in-memory buffer (20,000 events) fills, so what grows later is the load's doing.
    await eventually(() => (server.pipeline.queries.latestSeq > 25_000 ? true : undefined), 30_000, 'a full buffer');
    const unloaded = await ingestRate(3000);
    gc();
    const before = process.memoryUsage();

    const clients = startClients();
    try {
      await clients.next('ready');
      clients.tell('stall');
      await clients.next('stalled');

      const memory = memorySampler();
      const health = healthProbe();
      const loop = performance.eventLoopUtilization();
      const seq0 = server.pipeline.queries.latestSeq;
      const t0 = Date.now();
      const refusals = await wrongTokenHandshakes(WRONG_TOKEN_HANDSHAKES);
      await new Promise((r) => setTimeout(r, Math.max(0, RUN_MS - (Date.now() - t0))));
      const missedByStalled = server.pipeline.queries.latestSeq - seq0;
      const ingested = (missedByStalled * 1000) / (Date.now() - t0);
      const loopBusy = performance.eventLoopUtilization(loop).utilization;
      // The user's browser shares 127.0.0.1 with the flood: the right token still connects.
      const userConnects = await rightTokenConnects();
      await health.stop();
      memory.stop();
      gc();
      const after = process.memoryUsage();

      clients.tell('resume');
      const { report } = await clients.next('report');
      const figures = {
        sockets: SOCKETS,
        stalled: STALLED,
        eventsPerSecondIngested: Math.round(ingested),
        eventsPerSecondBeforeSockets: Math.round(unloaded),
        serverLoopBusy: Number(loopBusy.toFixed(2)),
        latencyP50Ms: percentile(report.latencies, 50),
        latencyP95Ms: percentile(report.latencies, 95),
        latencySamples: report.latencies.length,
        healthMaxMs: Math.round(Math.max(...health.times)),
        healthProbes: health.times.length,
        rssMb: { before: mb(before.rss), peak: mb(memory.peak.rss), after: mb(after.rss) },
        heapMb: { before: mb(before.heapUsed), peak: mb(memory.peak.heapUsed), afterGc: mb(after.heapUsed) },
        wrongTokenHandshakes: WRONG_TOKEN_HANDSHAKES,
        ...refusals,
        stalledSkipped: report.stalled.map((c) => c.skipped),
        stalledClosedByServer: report.stalled.filter((c) => c.closed).length,
        readingBatchesMin: report.readingBatchesMin,
      };
      console.log(JSON.stringify(figures));

      expect(after.heapUsed - before.heapUsed).toBeLessThan(HEAP_GROWTH_BUDGET);
      expect(memory.peak.rss - before.rss).toBeLessThan(RSS_GROWTH_BUDGET);
      expect(figures.latencyP95Ms).toBeLessThan(LATENCY_P95_MS);
      // Every reading client kept receiving: ~40 batches/s for 20 s, not a trickle.
      expect(report.readingBatchesMin).toBeGreaterThan(RUN_MS / 100);
      expect(figures.healthMaxMs).toBeLessThan(HEALTH_MAX_MS);
      // Ingest keeps pace beside 200 sockets, though their process takes one of the two cores (a
      // quarter at least: encoding each batch once per client held it to a sixth, 3,700 → 610 events/s).
      expect(ingested).toBeGreaterThan(unloaded / 4);
      // A stalled client is not queued for: what it missed is announced as skipped once it reads
      // again (or the server closed it, once its pings went unanswered).
      for (const c of report.stalled) expect(c.closed || c.skipped > missedByStalled / 2).toBe(true);
      // Past the burst (20, one more every 0.5 s), wrong tokens are refused: most of the 200.
      expect(refusals.connected).toBe(0);
      expect(refusals.unauthorized).toBeLessThanOrEqual(20 + Math.ceil(refusals.seconds * 2) + 1);
      expect(refusals.limited).toBeGreaterThan(WRONG_TOKEN_HANDSHAKES / 2);
      expect(userConnects).toBe(true);
    } finally {
      clients.kill();
    }
  });
});
