import { randomInt } from 'node:crypto';
import {
  correlate,
  createChannelCatalog,
  createCorrelator,
  createInsights,
  createTopology,
  observeChannelEvent,
  learnSettledFlow,
  observeInsights,
  observeEvent,
  tickCorrelator,
  type CorrelatorOptions,
  type FlowEvent,
} from '@flowscope/shared';

/**
 * What Flowscope learns from events: the map, the channel catalog, the flows and the insights. `observe` is the
 * one fan-out, used alike by live ingest and by a restore from the store, so a restarted server
 * knows what the running one knew. `tick` lets domain time pass (flows settle, templates learn).
 */
export class Observers {
  readonly topology = createTopology();
  /** Event types per channel with their inferred payload schemas, for the catalog. */
  readonly channels = createChannelCatalog();
  /** Deliveries and reactions, each entity's order, dead letters: the architecture insights. */
  readonly insights = createInsights();
  readonly correlator;

  constructor(
    correlation: Partial<CorrelatorOptions>,
    /** When given, the flows being correlated keep no more events than fit in their share of it. */
    private readonly budget?: { events(share: number): number; factEvents(share: number): number },
  ) {
    // A random seed: keys chosen to collide in the engine's indexes cannot be prepared in advance.
    this.correlator = createCorrelator({
      hashSeed: randomInt(2 ** 31),
      onSettle: (ordered, flow) => learnSettledFlow(this.insights, ordered, flow),
      ...correlation,
    });
  }

  /**
   * Feeds one event to every observer; returns the id of the flow it now belongs to. `json` is
   * the payload's value when ingest already parsed it (then nothing here parses it again).
   */
  observe(event: FlowEvent, json?: unknown): string {
    observeEvent(this.topology, event);
    observeChannelEvent(this.channels, event, json);
    observeInsights(this.insights, event);
    return correlate(this.correlator, event);
  }

  tick(now: number): void {
    // The engine's share of the memory budget: events whole, or (with a store) their facts only.
    const keepsEvents = this.correlator.engine.facts.events !== undefined;
    tickCorrelator(this.correlator, now, keepsEvents ? this.budget?.events(0.5) : this.budget?.factEvents(0.5));
  }
}
