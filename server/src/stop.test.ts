import type { SourceStatus } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { Stopper, type Stoppable } from './stop.js';

function source(id: string, state: SourceStatus['state'], eventsReceived = 0): SourceStatus {
  return { id, broker: 'kafka', cluster: 'local', target: `localhost:9092 · ${id}`, state, eventsReceived, since: 0 };
}

/** A server whose close() finishes when the test says so; a clock the test moves. */
function harness(dataDir?: string) {
  let finish: (ok: boolean) => void = () => undefined;
  const stored = 1042;
  const sources = [source('kafka:local', 'connected', 40), source('demo', 'connected', 2)];
  let closes = 0;
  const server: Stoppable = {
    close: () => {
      closes++;
      return new Promise<{ stored: number }>((resolve, reject) => {
        finish = (ok) => {
          if (ok) {
            for (const [i, s] of sources.entries()) sources[i] = { ...s, state: 'stopped' };
            resolve({ stored });
          } else reject(new Error('the store is gone'));
        };
      });
    },
    sources: {
      list: () => sources,
      leftovers: () =>
        sources[0]?.state === 'stopped'
          ? []
          : [
              'consumer group flowscope-tap-1a2b on local (empty; the broker removes it later)',
              'demo had not finished stopping',
            ],
    },
  };
  const clock = { now: 0 };
  const out: string[] = [];
  const exits: number[] = [];
  const stopper = new Stopper({
    write: (t) => void out.push(t),
    exit: (c) => void exits.push(c),
    now: () => clock.now,
    dataDir,
  });
  return { server, stopper, clock, out, exits, finish: (ok: boolean) => finish(ok), closes: () => closes };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('Stopper', () => {
  it('stops once, however many signals arrive meanwhile, and exits 0 with what was stored', async () => {
    const h = harness('/data');
    h.stopper.serving(h.server);
    h.stopper.signal('SIGINT');
    h.clock.now = 5; // the launcher's forwarded copy of the same Ctrl-C
    h.stopper.signal('SIGINT');
    h.clock.now = 1200;
    h.stopper.signal('SIGINT');
    h.clock.now = 2900;
    h.stopper.signal('SIGTERM');
    await settle();
    expect(h.closes()).toBe(1);
    expect(h.exits).toEqual([]);
    expect(h.out).toEqual([
      'Stopping Flowscope…\n',
      'Still stopping (waiting for kafka:local, demo)… Press Ctrl-C again in 2 s or later to quit at once.\n',
      'Still stopping (waiting for kafka:local, demo)… Press Ctrl-C again in 1 s or later to quit at once.\n',
    ]);
    h.finish(true);
    await settle();
    expect(h.exits).toEqual([0]);
    expect(h.out.at(-1)).toBe('Flowscope stopped: 42 events received; the store in /data holds 1,042 events.\n');
  });

  it('quits at a Ctrl-C from 3 s after the first, naming what the sources leave behind', async () => {
    const h = harness('/data');
    h.stopper.serving(h.server);
    h.stopper.signal('SIGINT');
    h.clock.now = 3000;
    h.stopper.signal('SIGINT');
    expect(h.exits).toEqual([130]);
    expect(h.out.at(-1)).toBe(
      [
        'Flowscope quit before it had stopped.',
        'Left behind:',
        '  - consumer group flowscope-tap-1a2b on local (empty; the broker removes it later)',
        '  - demo had not finished stopping',
        'The events received in the last moments may be missing from /data.',
        '',
      ].join('\n'),
    );
  });

  it('takes repeats that keep coming as one request until one stands apart', () => {
    const h = harness();
    h.stopper.serving(h.server);
    for (let t = 0; t <= 3000; t += 100) {
      h.clock.now = t;
      h.stopper.signal('SIGINT');
    }
    // every 100 ms: counted at 0, 500, 1000, … ; forced at 3000
    expect(h.out.filter((t) => t.startsWith('Still stopping'))).toHaveLength(5);
    expect(h.exits).toEqual([130]);
  });

  it('exits 1 when closing fails, and says why', async () => {
    const h = harness();
    h.stopper.serving(h.server);
    h.stopper.signal('SIGTERM');
    h.finish(false);
    await settle();
    expect(h.exits).toEqual([1]);
    expect(h.out.at(-1)).toBe('Flowscope could not stop cleanly: the store is gone\n');
  });

  it('stops as soon as the server is up when asked during startup', async () => {
    const h = harness();
    h.stopper.signal('SIGINT');
    expect(h.out).toEqual(['Stopping Flowscope as soon as it has started…\n']);
    expect(h.closes()).toBe(0);
    h.stopper.serving(h.server);
    expect(h.closes()).toBe(1);
    h.finish(true);
    await settle();
    expect(h.exits).toEqual([0]);
    expect(h.out.at(-1)).toBe('Flowscope stopped: 42 events received (history is off).\n');
  });
});
