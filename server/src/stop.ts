import type { SourceStatus } from '@flowscope/shared';

/** What stopping needs of the running server. */
export type Stoppable = {
  /** Resolves once every accepted event is written, with the number of events in the store. */
  close(): Promise<{ readonly stored: number }>;
  readonly sources: {
    list(): readonly SourceStatus[];
    /** What the sources would leave on their brokers if the process ended now. */
    leftovers(): readonly string[];
  };
};

export type StopOptions = {
  write(text: string): void;
  exit(code: number): void;
  /** Where the store is, for the closing summary; undefined when history is off. */
  readonly dataDir?: string | undefined;
  readonly now?: () => number;
  /**
   * A repeat within this window is the same request: Ctrl-C in a terminal reaches the server and
   * its launcher (one process group), and the launcher forwards it too.
   */
  readonly sameRequestMs?: number;
  /** A signal this long after the first forces exit. */
  readonly forceAfterMs?: number;
};

const SAME_REQUEST_MS = 500;
const count = (n: number) => `${n.toLocaleString('en')} event${n === 1 ? '' : 's'}`;
const FORCE_AFTER_MS = 3000;

/**
 * SIGINT/SIGTERM handling. The first signal stops cleanly: sources stop (and clean up on their
 * broker), every accepted event is written, then exit 0. Repeats do not interrupt that; one that
 * comes at least `forceAfterMs` after the first quits at once and says what may be left behind.
 * A signal before the server is ready stops it as soon as it is.
 */
export class Stopper {
  private server?: Stoppable;
  private firstAt?: number;
  private lastAt = 0;
  private closing = false;
  private readonly now: () => number;
  private readonly sameRequestMs: number;
  private readonly forceAfterMs: number;

  constructor(private readonly options: StopOptions) {
    this.now = options.now ?? Date.now;
    this.sameRequestMs = options.sameRequestMs ?? SAME_REQUEST_MS;
    this.forceAfterMs = options.forceAfterMs ?? FORCE_AFTER_MS;
  }

  /** Registers for SIGINT and SIGTERM (for as long as the process lives). */
  listen(proc: Pick<NodeJS.Process, 'on'> = process): this {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) proc.on(signal, () => this.signal(signal));
    return this;
  }

  /** The server is up: a stop requested meanwhile starts now. */
  serving(server: Stoppable): void {
    this.server = server;
    if (this.firstAt !== undefined) this.close();
  }

  signal(signal: 'SIGINT' | 'SIGTERM'): void {
    const now = this.now();
    if (this.firstAt === undefined) {
      this.firstAt = this.lastAt = now;
      this.options.write(this.server ? 'Stopping Flowscope…\n' : 'Stopping Flowscope as soon as it has started…\n');
      if (this.server) this.close();
      return;
    }
    if (now - this.lastAt < this.sameRequestMs) return;
    this.lastAt = now;
    const left = this.forceAfterMs - (now - this.firstAt);
    if (left > 0) {
      const waitingFor = this.unstopped().map((s) => s.id);
      this.options.write(
        `Still stopping${waitingFor.length ? ` (waiting for ${waitingFor.join(', ')})` : ''}… Press Ctrl-C again in ${Math.ceil(left / 1000)} s or later to quit at once.\n`,
      );
      return;
    }
    this.force(signal);
  }

  private close() {
    if (this.closing || !this.server) return;
    this.closing = true;
    const server = this.server;
    server.close().then(
      ({ stored }) => {
        const received = server.sources.list().reduce((n, s) => n + s.eventsReceived, 0);
        const where = this.options.dataDir
          ? `; the store in ${this.options.dataDir} holds ${count(stored)}`
          : ' (history is off)';
        this.options.write(`Flowscope stopped: ${count(received)} received${where}.\n`);
        this.options.exit(0);
      },
      (err: unknown) => {
        this.options.write(`Flowscope could not stop cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
        this.options.exit(1);
      },
    );
  }

  private unstopped(): readonly SourceStatus[] {
    return this.server?.sources.list().filter((s) => s.state !== 'stopped') ?? [];
  }

  /** Quits now, naming what may be left: what sources set up on their brokers, events not yet written. */
  private force(signal: 'SIGINT' | 'SIGTERM') {
    const lines = ['Flowscope quit before it had stopped.'];
    const left = this.server?.sources.leftovers() ?? [];
    if (left.length > 0) lines.push('Left behind:', ...left.map((l) => `  - ${l}`));
    if (this.options.dataDir && this.closing) {
      lines.push(`The events received in the last moments may be missing from ${this.options.dataDir}.`);
    }
    this.options.write(`${lines.join('\n')}\n`);
    this.options.exit(signal === 'SIGINT' ? 130 : 143);
  }
}
