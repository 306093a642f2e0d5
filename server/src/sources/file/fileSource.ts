import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCaptureLine, type CaptureLineError, type FlowEvent } from '@flowscope/shared';
import type { EventSource, SourceSink, UnsequencedEvent } from '../contract.js';

/** Events handed over at once when replaying as fast as possible. */
const BATCH = 500;
/** How long reading may hold the event loop before it lets other work run. */
const SLICE_MS = 10;

export type FileSourceOptions = {
  readonly path: string;
  /** `max`: as fast as possible; a number: real time multiplied by it (1 = as recorded). */
  readonly speed: 'max' | number;
};

/**
 * Replays a capture (`flowscope export --format ndjson`): every event exactly as exported, ids
 * and all, so the flows and the map are the ones the colleague saw. Lines that cannot be read
 * are counted and named in the source's status; the others still replay.
 */
export class FileSource implements EventSource {
  readonly id: string;
  readonly broker = 'file' as const;
  readonly cluster: string;
  readonly target: string;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(private readonly options: FileSourceOptions) {
    this.cluster = basename(options.path);
    this.id = `file:${this.cluster}`;
    this.target = `${options.path} · ${options.speed === 'max' ? 'as fast as possible' : `${options.speed}× real time`}`;
  }

  async start(sink: SourceSink): Promise<void> {
    sink.state('connecting');
    void this.run(sink);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
  }

  private async run(sink: SourceSink) {
    const errors: CaptureLineError[] = [];
    let replayed = 0;
    let first: { at: number; recordedAt: number } | undefined;
    let batch: UnsequencedEvent[] = [];
    // Awaited: the file is read no faster than ingest takes its events.
    const flush = async () => {
      const taken = batch.length > 0 && !this.stopped ? sink.events(batch) : undefined;
      batch = [];
      await taken;
    };
    try {
      const lines = createInterface({ input: createReadStream(this.options.path), crlfDelay: Infinity });
      let n = 0;
      let sliceStarted = performance.now();
      sink.state('connected');
      for await (const text of lines) {
        if (this.stopped) break;
        // Lines come in microtasks, as many as were read: lines of megabytes (or a backlog of
        // thousands) would hold the event loop until the batch is full. It is let go every few ms.
        if (performance.now() - sliceStarted >= SLICE_MS) {
          await flush();
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStarted = performance.now();
        }
        n += 1;
        const parsed = parseCaptureLine(text, n);
        if (!parsed || 'header' in parsed) continue;
        if ('error' in parsed) {
          errors.push(parsed.error);
          continue;
        }
        const event = parsed.event;
        if (this.options.speed !== 'max') {
          first ??= { at: Date.now(), recordedAt: event.receivedAt };
          const due = first.at + (event.receivedAt - first.recordedAt) / this.options.speed;
          await this.sleep(due - Date.now());
          if (this.stopped) break;
        }
        const { seq: _seq, ...unsequenced } = event as FlowEvent;
        batch.push(unsequenced);
        replayed += 1;
        if (this.options.speed !== 'max' || batch.length >= BATCH) await flush();
      }
      await flush();
    } catch (err) {
      sink.state('disconnected', {
        reason: 'misconfigured',
        message: `Cannot read the capture ${this.options.path}: ${(err as Error).message}`,
        hint: 'Check the path given to --replay.',
      });
      return;
    }
    if (errors.length > 0) {
      const shown = errors
        .slice(0, 3)
        .map((e) => `line ${e.line}: ${e.message}`)
        .join('; ');
      sink.state('stopped', {
        reason: 'misconfigured',
        message: `Replayed ${replayed} events; ${errors.length} line${errors.length === 1 ? '' : 's'} could not be read (${shown}${errors.length > 3 ? '; …' : ''}).`,
        hint: 'The capture was edited or cut short; the lines that could be read are shown.',
      });
    } else if (!this.stopped) sink.state('stopped');
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, Math.min(ms, 60_000));
    });
  }
}
