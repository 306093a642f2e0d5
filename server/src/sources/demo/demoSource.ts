import type { EventSource, RawRecord, SourceSink } from '../contract.js';
import { createRandom } from './random.js';
import { Shop } from './shop.js';
import { toRecord } from './wire.js';

export type DemoOptions = {
  /** New orders per second. */
  readonly ordersPerSecond: number;
  readonly seed?: number;
};

/** The embedded simulated shop: the default source, and the reference implementation of EventSource. */
export class DemoSource implements EventSource {
  readonly id = 'demo';
  readonly broker = 'demo' as const;
  readonly cluster = 'shop';
  readonly target: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;
  /** Messages published in the same turn of the event loop go to ingest as one batch. */
  private pending: RawRecord[] = [];

  constructor(private readonly options: DemoOptions) {
    this.target = `simulated shop · ${options.ordersPerSecond} orders/s`;
  }

  async start(sink: SourceSink): Promise<void> {
    const rng = createRandom(this.options.seed ?? Date.now());
    this.running = true;
    const shop = new Shop(rng, {
      after: (ms, run) => this.schedule(ms, run),
      publish: (message) => {
        if (this.pending.push(toRecord(message, Date.now(), rng)) > 1) return;
        queueMicrotask(() => {
          const batch = this.pending;
          this.pending = [];
          if (this.running) void sink.records(batch);
        });
      },
    });
    const interval = 1000 / this.options.ordersPerSecond;
    const tick = () => {
      shop.placeOrder();
      // Jitter arrivals so orders do not march in lockstep.
      this.schedule(interval * (0.5 + rng.next()), tick);
    };
    sink.state('connected');
    tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(ms: number, run: () => void) {
    if (!this.running) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.running) run();
    }, ms);
    this.timers.add(t);
  }
}
