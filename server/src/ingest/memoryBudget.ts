import type { FlowEvent } from '@flowscope/shared';

/** The smallest window kept whatever the budget: enough for a flow and the live resume. */
const MIN_EVENTS = 100;
/**
 * What the engine holds per event when it keeps facts only: 387 B measured with the demo's ids
 * (`pnpm bench`), with room for longer ids and more keys.
 */
const FACT_BYTES = 800;

/**
 * What events in memory may take (`--memory`), shared by what holds them: the buffer for the API
 * and live resume, and the events the correlation engine retains. Sizes are estimated per event
 * (strings at a byte per character as V8 keeps ASCII, plus a fixed cost per object and field),
 * averaged over recent events, so a burst of large payloads shrinks the window in events and a
 * stream of small ones lets it grow to its configured count.
 */
export class MemoryBudget {
  /** Bytes per event, averaged over about the last hundred. */
  private average = 2048;

  constructor(readonly bytes: number) {}

  observe(event: FlowEvent): void {
    this.average += (estimateBytes(event) - this.average) / 128;
  }

  /** How many events of the recent average size fit in `share` of the budget (at least MIN_EVENTS). */
  events(share: number): number {
    return Math.max(MIN_EVENTS, Math.floor((this.bytes * share) / this.average));
  }

  /**
   * How many events the correlation engine may retain in `share` of the budget when it keeps only
   * their facts (with a store, ADR 0025): a few hundred bytes each, whatever their payloads.
   */
  factEvents(share: number): number {
    return Math.max(MIN_EVENTS, Math.floor((this.bytes * share) / FACT_BYTES));
  }

  get averageEventBytes(): number {
    return Math.round(this.average);
  }
}

/** An estimate of the heap one event takes: its strings and a fixed cost per object and field. */
function estimateBytes(e: FlowEvent): number {
  let n = 700 + e.id.length + e.channel.length + e.payload.value.length + e.payload.sha256.length;
  for (const name in e.headers) {
    const v = e.headers[name];
    n += 48 + name.length + (typeof v === 'string' ? v.length : (v?.reduce((s, x) => s + x.length + 16, 0) ?? 0));
  }
  for (const k of e.correlation.keys) n += 64 + k.name.length + k.value.length;
  return n + (e.key?.value.length ?? 0) + (e.type?.length ?? 0) + (e.producer?.length ?? 0);
}
