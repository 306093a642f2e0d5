import { writeFileSync } from 'node:fs';
import type { CDPSession } from '@playwright/test';

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** A V8 CPU profile of the page's main thread (DevTools protocol), when BENCH_BROWSER_PROFILE names a file. */
export async function startProfile(cdp: CDPSession) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return async (file: string) => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    writeFileSync(file, JSON.stringify(profile));
    console.log(`CPU profile written to ${file} (open in Chromium DevTools); self time by function:`);
    for (const line of topSelfTime(profile, 20)) console.log(`  ${line}`);
  };
}

function topSelfTime(profile: Profile, count: number): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)?.callFrame;
    if (!f) return;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, ms]) =>
        `${Math.round(ms).toString().padStart(6)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${name}`,
    );
}

/** A Chromium performance trace (DevTools timeline), when BENCH_BROWSER_TRACE names a file: open it in DevTools' Performance panel. */
export async function startTrace(cdp: CDPSession) {
  const events: unknown[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown[])));
  await cdp.send('Tracing.start', {
    categories:
      'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame,toplevel,v8.execute,blink.user_timing,latencyInfo',
    transferMode: 'ReportEvents',
  });
  return async (file: string) => {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    writeFileSync(file, JSON.stringify({ traceEvents: events }));
    console.log(`Chromium trace written to ${file} (${events.length} events)`);
  };
}
