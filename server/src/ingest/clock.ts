/** A piece of work that runs as domain time passes. */
type Task = { readonly name: string; readonly everyMs: number; readonly run: (now: number) => void };

/**
 * The one clock of the domain: correlation ticks, store flushes and retention all run from here,
 * on timers in a running server and on demand (`runAll`) where nothing ticks by itself, such as
 * the offline `flowscope export --data-dir`. Tasks never throw out of a timer.
 */
export class DomainClock {
  private readonly tasks: Task[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly now: () => number = Date.now,
    private readonly onError: (task: string, err: unknown) => void = () => undefined,
  ) {}

  every(name: string, everyMs: number, run: (now: number) => void): this {
    this.tasks.push({ name, everyMs, run });
    return this;
  }

  /** Runs every task once, at `at` (default: now). */
  runAll(at = this.now()): void {
    for (const t of this.tasks) this.run(t, at);
  }

  start(): void {
    for (const t of this.tasks) this.timers.push(setInterval(() => this.run(t), t.everyMs));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
  }

  private run(t: Task, at = this.now()) {
    try {
      t.run(at);
    } catch (err) {
      this.onError(t.name, err);
    }
  }
}
