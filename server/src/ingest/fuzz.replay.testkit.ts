/**
 * Replay for the fuzz suite: captures (`--replay` files) of hostile events and malformed lines,
 * replayed by the real FileSource into the suite's pipeline, with what the source reported.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerKinds, CAPTURE_FORMAT, CAPTURE_VERSION, type FlowEvent, type SourceState } from '@flowscope/shared';
import fc from 'fast-check';
import type { SourceProblem, SourceSink } from '../sources/contract.js';
import { FileSource } from '../sources/file/fileSource.js';
import {
  deepJson,
  headerText,
  hostileBytes,
  hostileHeaders,
  hostileName,
  hostileText,
  hostileTime,
} from './fuzz.generators.testkit.js';
import type { Harness } from './fuzz.harness.testkit.js';

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Messages (or capture lines) per property run. */
export const BATCH = { min: 25, max: 35 };

/** An exported event with hostile content (times NaN and 1e300 are written as JSON writes them). */
const capturedEvent = fc
  .record({
    id: hostileText,
    seq: fc.nat(),
    source: fc.record({ broker: fc.constantFrom(...brokerKinds), cluster: hostileText }),
    channel: hostileName,
    partition: opt(fc.nat()),
    offset: opt(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String)),
    timestamp: hostileTime,
    receivedAt: hostileTime,
    key: opt(fc.record({ encoding: fc.constantFrom('text' as const, 'hex' as const), value: hostileText })),
    headers: hostileHeaders(fc.oneof(headerText, fc.array(headerText, { maxLength: 3 })), String).map((p) =>
      Object.fromEntries(p),
    ),
    type: opt(hostileText),
    producer: opt(hostileText),
    correlation: fc.record({
      keys: fc.array(fc.record({ name: hostileText, value: hostileText }), { maxLength: 4 }),
      causationId: opt(hostileText),
      traceId: opt(hostileText),
    }),
    encoding: fc.constantFrom('json' as const, 'text' as const, 'binary' as const, 'empty' as const),
    body: hostileBytes,
    size: fc.oneof(fc.nat(), fc.constant(2 ** 53 + 2)),
    truncated: fc.boolean(),
  })
  .map(({ encoding, body, size, truncated, ...e }) => {
    const value = encoding === 'binary' ? body.toString('base64') : encoding === 'empty' ? '' : body.toString('utf8');
    return JSON.stringify({ ...e, payload: { encoding, value, size, truncated, sha256: 'fuzz' } });
  });

/** A line that is not an event: not JSON, cut short, JSON of another shape, deep, binary. */
const badLine = fc.oneof(
  hostileText,
  capturedEvent.chain((line) => fc.nat({ max: Math.max(0, line.length - 2) }).map((n) => line.slice(0, n + 1))),
  fc.constantFrom('{}', '[]', 'null', '1e400', '"event"', '{"id":"x","seq":-1}', deepJson(100_000, 'array')),
  hostileBytes.map((b) => b.toString('latin1')),
);

export const captureHeader = JSON.stringify({
  format: CAPTURE_FORMAT,
  version: CAPTURE_VERSION,
  exportedAt: 1,
  selection: 'fuzz',
  events: 1,
});

/**
 * A capture's lines: a header (or not), then events and bad lines. A line break inside a bad
 * line would make two lines of it: line breaks are replaced, so every generated line is one line.
 */
export const captureLines: fc.Arbitrary<string[]> = fc
  .tuple(
    fc.oneof({ arbitrary: fc.constant(captureHeader), weight: 5 }, { arbitrary: badLine, weight: 1 }),
    fc.array(fc.oneof({ arbitrary: capturedEvent, weight: 4 }, { arbitrary: badLine, weight: 1 }), {
      minLength: BATCH.min,
      maxLength: BATCH.max,
    }),
  )
  .map(([head, lines]) => [head, ...lines].map((l) => l.replace(/[\r\n]/g, ' ')).filter((l) => l.trim() !== ''));

export type ReplayOutcome = {
  /** Events the source handed to ingest, as ingest accepted them. */
  readonly events: readonly FlowEvent[];
  readonly state: SourceState;
  readonly problem?: SourceProblem;
};

/** Replays the lines with `--replay` at full speed and waits for the source to end. */
export async function replay(h: Harness, lines: readonly string[]): Promise<ReplayOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-fuzz-replay-'));
  const path = join(dir, 'capture.ndjson');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const source = new FileSource({ path, speed: 'max' });
  const events: FlowEvent[] = [];
  try {
    return await h.meter.measure(
      () =>
        new Promise<ReplayOutcome>((resolve, reject) => {
          const sink: SourceSink = {
            records: () => Promise.reject(new Error('a capture hands over events, not records')),
            events: (batch) =>
              h.pipeline.ingest.events(batch).then((taken) => {
                events.push(...taken);
              }, reject),
            state: (state, problem) => {
              if (state === 'stopped' || state === 'disconnected')
                resolve({ events, state, ...(problem ? { problem } : {}) });
            },
            gap: () => undefined,
            consumers: () => undefined,
            lag: () => undefined,
          };
          void source.start(sink);
        }),
    );
  } finally {
    await source.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
