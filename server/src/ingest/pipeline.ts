import type { CorrelationRule, CorrelatorOptions, EventFacts, FlowEvent } from '@flowscope/shared';
import type { EventStore } from '../store/eventStore.js';
import { DomainClock } from './clock.js';
import type { DecodingStage } from './decoding/stage.js';
import { Ingest } from './ingest.js';
import type { Masks } from './mask.js';
import { Observers } from './observers.js';
import { Queries } from './queries.js';
import { MemoryBudget } from './memoryBudget.js';
import { Sequencer } from './sequencer.js';

export type PipelineOptions = {
  /** Events kept in memory for the API and for live resume. */
  readonly bufferSize: number;
  /**
   * What events in memory may take, in bytes (`--memory`): the buffer and the correlation
   * engine's window shrink below their counts when events are large. Unbounded when unset.
   */
  readonly memoryBytes?: number;
  readonly maxPayloadBytes: number;
  readonly rules?: readonly CorrelationRule[];
  readonly producerHeaders?: readonly string[];
  readonly masks?: Masks;
  readonly decoding?: DecodingStage;
  readonly now?: () => number;
  readonly correlation?: Partial<CorrelatorOptions>;
  /** Where events are kept beyond the in-memory buffer and across restarts. */
  readonly store?: EventStore;
  /** How long one slice of a large batch may hold the main thread (ingest's default when unset). */
  readonly sliceMs?: number;
  /** Told when a task of the domain clock fails (it keeps running). */
  readonly onClockError?: (task: string, err: unknown) => void;
};

/** The parts of the data path inside the server, each with one job, wired to each other. */
export type Pipeline = {
  /** The write side: batches in, events out (decode, normalize, sequence, observe, store, announce). */
  readonly ingest: Ingest;
  /** The read side for HTTP, live and exports. */
  readonly queries: Queries;
  /** What is learned from events (map, channel catalog, flows); `tick` lets domain time pass. */
  readonly observers: Observers;
  /**
   * Domain time: correlation ticks, store flushes and retention. A server starts it; the offline
   * export runs it once after restoring, so flows settle and kinds are learned there too.
   */
  readonly clock: DomainClock;
  /** Where accepted events are written, when there is a store. */
  readonly store?: EventStore;
};

export function createPipeline(o: PipelineOptions): Pipeline {
  const now = o.now ?? Date.now;
  const budget = o.memoryBytes !== undefined ? new MemoryBudget(o.memoryBytes) : undefined;
  const store = o.store;
  const sequencer = new Sequencer(o.bufferSize, budget, store ? (upTo) => store.reserveSeqs(upTo) : undefined);
  const observers = new Observers(
    {
      // As many as the buffer holds (a longer window measured worse: see ADR 0025 §6), within the
      // budget's share for them (their index is sized for this many at once).
      maxEvents: store ? Math.min(o.bufferSize, budget?.factEvents(0.5) ?? Infinity) : o.bufferSize,
      // With a store, the engine keeps only what joining and judging flows needs; a flow shown
      // whole reads its events from the buffer, else from the store (ADR 0025).
      ...(store ? { resolveEvents: (facts) => readBack(sequencer, store, facts) } : {}),
      ...o.correlation,
    },
    budget,
  );
  const ingest = new Ingest(sequencer, observers, o.store, {
    maxPayloadBytes: o.maxPayloadBytes,
    now,
    ...(o.rules ? { rules: o.rules } : {}),
    ...(o.producerHeaders ? { producerHeaders: o.producerHeaders } : {}),
    ...(o.masks ? { masks: o.masks } : {}),
    ...(o.decoding ? { decoding: o.decoding } : {}),
    ...(o.sliceMs !== undefined ? { sliceMs: o.sliceMs } : {}),
  });
  const clock = new DomainClock(now, o.onClockError);
  clock.every('correlation tick', 1000, (t) => observers.tick(t));
  if (store) {
    // Writes leave the live path: queued on ingest, handed to the writer every 100 ms (never waited for).
    clock.every('store flush', 100, () => store.send());
    clock.every('retention', 30_000, (t) => {
      store.applyRetention(t).catch((err: unknown) => o.onClockError?.('retention', err));
    });
  }
  const queries = new Queries(sequencer, observers, o.store, now);
  return { ingest, queries, observers, clock, ...(store ? { store } : {}) };
}

/**
 * Events by their facts: from the buffer while it holds them, else from the store; the store's
 * writer is waited for only when one is not there yet (a flush can wait for a backlog).
 */
function readBack(sequencer: Sequencer, store: EventStore, facts: readonly EventFacts[]): (FlowEvent | undefined)[] {
  const fromStore = (f: EventFacts) => store.eventAt(f.id, f.seq);
  const out = facts.map((f) => {
    const e = sequencer.at(f.seq);
    return e?.id === f.id ? e : fromStore(f);
  });
  if (out.every((e) => e !== undefined)) return out;
  store.flush();
  return out.map((e, i) => e ?? fromStore(facts[i] as EventFacts));
}
