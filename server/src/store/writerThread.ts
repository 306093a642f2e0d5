import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { BlockWriter, type RetentionOptions } from './blockWriter.js';
import type { LineBatch } from './blocks.js';
import { connect, Statements } from './connection.js';
import { startThread } from '../threads.js';

/** Why the writer thread could not write, as its message and error code (e.g. SQLITE_FULL). */
export type WriteFailure = { readonly message: string; readonly code?: string };

type ToWriter =
  | { t: 'events'; batch: LineBatch }
  | { t: 'flush'; id: number }
  | { t: 'retention'; id: number; now: number }
  | { t: 'close'; id: number };
type FromWriter =
  | { t: 'retention'; id: number; deleted: number }
  | { t: 'failed'; failure: WriteFailure }
  | { t: 'recovered' }
  | { t: 'closed' };

type Setup = { readonly flowscopeStoreWriter: true; readonly dir: string; readonly retention: RetentionOptions };

/** Events sent and not yet written beyond which `send` waits for the writer. */
const MAX_BACKLOG = 100_000;

/** How long a flush waits for the writer thread before reads go ahead with what is on disk. */
const FLUSH_WAIT_MS = 10_000;

/**
 * The main thread's handle on the writer thread. Events go over as their stored lines with typed
 * arrays beside them (a cheap copy, no objects to clone, nothing for the thread to parse). `flush`
 * blocks until the thread has written everything sent before it (Atomics.wait on a shared
 * counter), so reads right after see those events.
 */
export class WriterThread {
  private readonly worker: Worker;
  /** [last flush id done, 1 while writes fail, events written, events taken into blocks (both mod 2^32)]. */
  private readonly shared = new Int32Array(new SharedArrayBuffer(16));
  /** Events sent (mod 2^32). */
  private sent = 0;
  private nextId = 0;
  private exited = false;
  private readonly retentions = new Map<number, (deleted: number) => void>();
  private closed?: Promise<void>;

  constructor(
    dir: string,
    retention: RetentionOptions,
    private readonly events: {
      onFailure(failure: WriteFailure): void;
      onRecovered(): void;
    },
  ) {
    const url = new URL(import.meta.url);
    const setup: Setup = { flowscopeStoreWriter: true, dir, retention };
    const options = { workerData: { setup, shared: this.shared } };
    this.worker = startThread(url, options);
    this.worker.on('message', (m: FromWriter) => this.received(m));
    this.worker.on('error', (err) =>
      this.events.onFailure({ message: `the store's writer thread failed: ${err.message}` }),
    );
    this.worker.on('exit', () => {
      this.exited = true;
      for (const resolve of this.retentions.values()) resolve(0);
      this.retentions.clear();
    });
  }

  /**
   * Events sent and not yet taken into blocks by the thread: their lines wait in its queue. What
   * it has taken is compressed (a few hundred bytes an event) and written within a second, or at
   * once past SEAL_EVENTS; seals of that many made "not yet written" a poor measure of memory.
   */
  get backlog(): number {
    return (this.sent - Atomics.load(this.shared, 3)) | 0;
  }

  /**
   * Hands events over. When the thread is more than MAX_BACKLOG events behind, waits for it (a
   * flush): memory stays bounded and ingest slows to the writer's pace instead.
   */
  send(batch: LineBatch): void {
    this.post({ t: 'events', batch });
    this.sent = (this.sent + batch.heads.length) | 0;
    if (((this.sent - Atomics.load(this.shared, 2)) | 0) > MAX_BACKLOG) this.flush();
  }

  /** Waits (blocking, at most FLUSH_WAIT_MS) until everything sent so far is written or has failed. */
  flush(): void {
    if (this.exited) return;
    const id = ++this.nextId;
    this.post({ t: 'flush', id });
    const deadline = Date.now() + FLUSH_WAIT_MS;
    let done = Atomics.load(this.shared, 0);
    while (done < id) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.shared, 0, done, left) === 'timed-out') return;
      done = Atomics.load(this.shared, 0);
    }
  }

  applyRetention(now: number): Promise<number> {
    if (this.exited) return Promise.resolve(0);
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.retentions.set(id, resolve);
      this.post({ t: 'retention', id, now });
    });
  }

  /** Drains: everything sent is written before the thread ends. */
  close(): Promise<void> {
    this.closed ??= this.exited
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.worker.once('exit', () => resolve());
          this.post({ t: 'close', id: ++this.nextId });
        });
    return this.closed;
  }

  private post(m: ToWriter) {
    if (!this.exited) this.worker.postMessage(m);
  }

  private received(m: FromWriter) {
    if (m.t === 'retention') {
      this.retentions.get(m.id)?.(m.deleted);
      this.retentions.delete(m.id);
    } else if (m.t === 'failed') this.events.onFailure(m.failure);
    else if (m.t === 'recovered') this.events.onRecovered();
  }
}

/** How often the thread looks whether waiting events are due to be written. */
const SEAL_CHECK_MS = 250;

/** The writer thread itself: one connection, one BlockWriter, messages handled in order. */
function runWriter(setup: Setup, shared: Int32Array) {
  const port = parentPort;
  if (!port) return;
  const writer = new BlockWriter(new Statements(connect(setup.dir)), setup.retention);
  let failing: string | undefined;
  let added = 0;
  const fail = (err: unknown) => {
    const e = err as { message?: string; code?: string };
    const failure: WriteFailure = { message: e?.message ?? String(err), ...(e?.code ? { code: e.code } : {}) };
    Atomics.store(shared, 1, 1);
    // Reported once per distinct reason, not at every retry.
    if (failing !== failure.message) port.postMessage({ t: 'failed', failure } satisfies FromWriter);
    failing = failure.message;
  };
  const seal = (soon = false) => {
    try {
      if (soon) writer.maybeSeal();
      else writer.seal();
      if (writer.pending === 0) Atomics.store(shared, 2, added);
      if (failing !== undefined) {
        failing = undefined;
        Atomics.store(shared, 1, 0);
        port.postMessage({ t: 'recovered' } satisfies FromWriter);
      }
    } catch (err) {
      fail(err);
    }
  };
  const done = (id: number) => {
    Atomics.store(shared, 0, id);
    Atomics.notify(shared, 0);
  };
  const timer = setInterval(() => seal(true), SEAL_CHECK_MS);
  port.on('message', (m: ToWriter) => {
    if (m.t === 'events') {
      writer.addLines(m.batch);
      added = (added + m.batch.heads.length) | 0;
      Atomics.store(shared, 3, added);
      seal(true);
    } else if (m.t === 'flush') {
      seal();
      done(m.id);
    } else if (m.t === 'retention') {
      let deleted = 0;
      try {
        deleted = writer.applyRetention(m.now);
      } catch (err) {
        fail(err);
      }
      port.postMessage({ t: 'retention', id: m.id, deleted } satisfies FromWriter);
    } else {
      seal();
      clearInterval(timer);
      writer.close();
      done(m.id);
      port.close();
    }
  });
}

const data = workerData as { setup?: Setup; shared?: Int32Array } | undefined;
if (!isMainThread && data?.setup?.flowscopeStoreWriter && data.shared) runWriter(data.setup, data.shared);
