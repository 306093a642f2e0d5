import { describe, expect, it } from 'vitest';
import type { EventSource, RawRecord, UnsequencedEvent } from '../src/sources/contract.js';
import { eventually, recordingSink } from './helpers.js';

/** Payloads every source must pass on as they are: ingest, not the source, decides what they are. */
export const oddPayloads: readonly { name: string; value: Uint8Array | null }[] = [
  { name: 'binary', value: Uint8Array.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0x00]) },
  { name: 'invalid UTF-8', value: Uint8Array.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]) },
  { name: 'empty', value: null },
  { name: 'oversized (300 KiB, above the 256 KiB display cap)', value: new Uint8Array(300 * 1024).fill(0x61) },
];

/** What a source under test offers; optional parts are the behaviours its broker has. */
export type SourceUnderTest = {
  readonly source: EventSource;
  /** Makes the broker carry `count` ordinary messages. */
  feed(count: number): Promise<void>;
  /**
   * Makes the broker carry these payloads, in order. Sources that hand over normalized events
   * (a capture) return the payloads those events must arrive with.
   */
  feedPayloads?(payloads: readonly (Uint8Array | null)[]): Promise<readonly unknown[] | void>;
  /** Why the source cannot be given arbitrary payloads (the demo makes its own). */
  readonly ownPayloadsBecause?: string;
  /** The same source configuration again, as a second instance (to check ids are stable). */
  again?(): EventSource;
  /**
   * The source's read-only rule and how it is checked, run after the source stopped (e.g. the
   * Kafka requests it sent, the capture file unchanged).
   */
  readonly readOnly: { readonly rule: string; check(): Promise<void> };
  /** History lost before the source read it; the source must record a gap for it. */
  loseHistory?(): Promise<void>;
  /** Why the source has no history that can be lost. */
  readonly noHistoryBecause?: string;
  cleanup?(): Promise<void>;
};

/** A source whose broker is unreachable at first and comes back when `bringBack` is called. */
export type Unreachable = { readonly source: EventSource; bringBack(): Promise<void>; cleanup(): Promise<void> };

export type ContractCase = {
  readonly name: string;
  make(): Promise<SourceUnderTest>;
  /** For broker sources: an address nothing answers on, later answered by the broker. */
  unreachable?(): Promise<Unreachable>;
};

const bytesOf = (r: RawRecord): string => (r.value === null ? 'null' : Buffer.from(r.value).toString('base64'));
const idOf = (r: RawRecord | UnsequencedEvent) =>
  'payload' in r ? r.id : `${r.channel}/${r.partition ?? ''}/${r.offset ?? r.messageId}`;

async function started(sut: SourceUnderTest) {
  const rec = recordingSink();
  await sut.source.start(rec.sink);
  await eventually(() => (rec.states.includes('connected') ? true : undefined), 30_000, 'connected');
  const all = () => [...rec.records, ...rec.events];
  return { ...rec, all };
}

/**
 * The behaviour every EventSource owes ingest, checked against each real source: run it for the
 * demo, file replay, Kafka and every later broker. Each case says how its broker's read-only rule
 * is checked.
 */
export function describeEventSource({ name, make, unreachable }: ContractCase) {
  describe(`EventSource contract: ${name}`, () => {
    it('delivers records in batches, each identifiable (stable ids) and placed in time', async () => {
      const sut = await make();
      await sut.feed(30);
      const rec = await started(sut);
      try {
        await eventually(() => (rec.all().length >= 20 ? true : undefined), 30_000, 'records');
        expect(rec.batches.length + rec.events.length).toBeGreaterThan(0);
        for (const r of rec.records) {
          expect(r.channel).not.toBe('');
          expect(Number.isFinite(r.timestamp)).toBe(true);
          expect(r.offset !== undefined || r.messageId !== undefined).toBe(true);
        }
        const ids = rec.all().map(idOf);
        expect(new Set(ids).size).toBe(ids.length);
      } finally {
        await sut.source.stop();
      }
      if (sut.again) {
        // A second reader of the same history names the same messages the same way.
        const second = sut.again();
        const twice = await started({ ...sut, source: second });
        try {
          const first = new Set(rec.all().map(idOf));
          const same = () => twice.all().filter((r) => first.has(idOf(r))).length;
          await eventually(() => (same() === first.size ? true : undefined), 30_000, 'the same ids on a re-read');
        } finally {
          await second.stop();
        }
      }
      await sut.cleanup?.();
    });

    it('delivers nothing after stop, and stopping twice is safe', async () => {
      const sut = await make();
      const rec = await started(sut);
      await sut.source.stop();
      await sut.source.stop();
      const count = rec.all().length;
      const states = rec.states.length;
      await sut.feed(10);
      await new Promise((r) => setTimeout(r, 1500));
      expect(rec.all().length).toBe(count);
      expect(rec.states.length).toBe(states);
      await sut.readOnly.check();
      await sut.cleanup?.();
    });

    it('keeps to its read-only rule while reading', async () => {
      const sut = await make();
      await sut.feed(10);
      const rec = await started(sut);
      try {
        await eventually(() => (rec.all().length >= 10 ? true : undefined), 30_000, 'records');
      } finally {
        await sut.source.stop();
      }
      expect(sut.readOnly.rule).not.toBe('');
      await sut.readOnly.check();
      await sut.cleanup?.();
    });

    it('passes binary, invalid UTF-8, empty and oversized payloads on as they are', async () => {
      const sut = await make();
      if (!sut.feedPayloads) {
        expect(sut.ownPayloadsBecause, 'a source that takes no payloads says why').toBeTruthy();
        return;
      }
      const expected = await sut.feedPayloads(oddPayloads.map((p) => p.value));
      const rec = await started(sut);
      try {
        const n = oddPayloads.length;
        await eventually(() => (rec.all().length >= n ? true : undefined), 30_000, 'odd payloads');
        if (expected) expect(rec.events.slice(-n).map((e) => e.payload)).toEqual(expected);
        else
          expect(rec.records.slice(-n).map(bytesOf)).toEqual(
            oddPayloads.map((p) => (p.value === null ? 'null' : Buffer.from(p.value).toString('base64'))),
          );
      } finally {
        await sut.source.stop();
        await sut.cleanup?.();
      }
    });

    if (unreachable) {
      it('shows disconnected with a reason and a hint when the broker is unreachable, and recovers', async () => {
        const u = await unreachable();
        const rec = recordingSink();
        await u.source.start(rec.sink);
        try {
          const down = await eventually(
            () => rec.reports.find((r) => r.state === 'disconnected'),
            60_000,
            'disconnected',
          );
          expect(down.problem?.reason).toBeTruthy();
          expect(down.problem?.message).not.toBe('');
          expect(down.problem?.hint).not.toBe('');
          await u.bringBack();
          await eventually(
            () => (rec.states.lastIndexOf('connected') > rec.states.indexOf('disconnected') ? true : undefined),
            60_000,
            'connected again',
          );
        } finally {
          await u.source.stop();
          await u.cleanup();
        }
      });
    }

    it('records a lost stretch of history as a gap (or says why it has none)', async () => {
      const sut = await make();
      if (!sut.loseHistory) {
        expect(sut.noHistoryBecause, 'a source without history says why').toBeTruthy();
        return;
      }
      await sut.loseHistory();
      const rec = await started(sut);
      try {
        const gap = await eventually(() => rec.gaps[0], 30_000, 'a gap');
        expect(gap.detail).not.toBe('');
      } finally {
        await sut.source.stop();
        await sut.cleanup?.();
      }
    });
  });
}
