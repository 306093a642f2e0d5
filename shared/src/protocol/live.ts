import { z } from 'zod';
import { breakpointHitSchema, breakpointSchema, type Breakpoint, type BreakpointHit } from '../model/breakpoint.js';
import { flowEventSchema } from '../model/flowEvent.js';
import { sourceStatusSchema } from '../model/sourceStatus.js';
import { topologySchema, type Topology } from '../model/topology.js';
import { topologyDeltaSchema, type TopologyDelta } from '../topology/delta.js';

/** socket.io namespace of the live stream. */
export const LIVE_NAMESPACE = '/live';

/**
 * How long the server gathers events before sending one batch, in ms. The page applies at most
 * one update per frame, so a short window costs it nothing and keeps produce → painted short.
 */
export const LIVE_BATCH_MS = 25;

/** Sent once per connection and on every resubscribe: where the stream stands. */
export const liveHelloSchema = z.object({
  serverTime: z.number(),
  lastSeq: z.number().int().nonnegative(),
  version: z.string(),
});
export type LiveHello = Readonly<z.infer<typeof liveHelloSchema>>;

/** A batch of events in seq order. `skipped` > 0 says events before these were not sent. */
export const liveEventBatchSchema = z.object({
  events: z.array(flowEventSchema).readonly(),
  skipped: z.number().int().nonnegative(),
  /** Of `skipped`, events the subscription's filter had no work left to test (a costly filter). */
  untested: z.number().int().nonnegative().optional(),
});
export type LiveEventBatch = Readonly<z.infer<typeof liveEventBatchSchema>>;

/** Every source's status: sent on connect, on every change and every few seconds. */
export const liveSourcesSchema = z.array(sourceStatusSchema).readonly();
export type LiveSources = z.infer<typeof liveSourcesSchema>;

/** A watched flow gained events (its id may differ from the watched one after a merge). */
export const flowChangeSchema = z.object({ watchedId: z.string(), flowId: z.string() });
export type FlowChange = Readonly<z.infer<typeof flowChangeSchema>>;

/** The whole map, bounded, with the version the next `topologyDelta` builds on. */
const liveTopologySchema = topologySchema.extend({ version: z.number().int().nonnegative() });
export type LiveTopology = Topology & { readonly version: number };

/**
 * What each message the server sends on `/live` carries, by event name. The map is the model's
 * `Topology` (read-only arrays), which `topologySchema` parses: whole on subscribe (and when a
 * client asks again), then what changed each second.
 */
export type LiveServerMessages = {
  hello: LiveHello;
  events: LiveEventBatch;
  topology: LiveTopology;
  topologyDelta: TopologyDelta;
  sources: LiveSources;
  flowChanged: FlowChange;
  /** Every breakpoint with its hit count: on subscribe, on change, and at most once a second as hits come. */
  breakpoints: readonly Breakpoint[];
  /** A breakpoint fired: sent after the batch holding its event. */
  breakpointHit: BreakpointHit;
};

/**
 * The schema of every message the server sends on `/live`: the client parses each payload with
 * its schema before use. Checked against `LiveServerMessages`, so the two cannot drift apart.
 */
export const liveServerMessageSchemas = {
  hello: liveHelloSchema,
  events: liveEventBatchSchema,
  topology: liveTopologySchema,
  topologyDelta: topologyDeltaSchema,
  sources: liveSourcesSchema,
  flowChanged: flowChangeSchema,
  breakpoints: z.array(breakpointSchema).readonly(),
  breakpointHit: breakpointHitSchema,
} as const satisfies { readonly [K in keyof LiveServerMessages]: z.ZodType<LiveServerMessages[K]> };

/** Messages the server sends on `/live`, one handler per schema above. */
export type ServerToClientEvents = {
  [K in keyof LiveServerMessages]: (payload: LiveServerMessages[K]) => void;
};

export const subscribeRequestSchema = z.object({
  /** Resume after this seq: events with a larger seq that are still buffered are replayed. */
  afterSeq: z.number().int().nonnegative().optional(),
  /** Only events matching this filter expression (see shared/src/filter) are sent. */
  filter: z.string().max(2000).optional(),
});
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

/** The server's answer to `subscribe`: where the stream stands, or why the request was refused. */
export const subscribeAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), hello: liveHelloSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type SubscribeAck = Readonly<z.infer<typeof subscribeAckSchema>>;

export const watchFlowRequestSchema = z.object({ flowId: z.string().min(1).max(512) });
export type WatchFlowRequest = z.infer<typeof watchFlowRequestSchema>;

/** Messages a client sends on `/live`; every payload is validated by the server with the schemas above. */
export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (ack: SubscribeAck) => void) => void;
  /** Be told when this flow changes; replaces any previously watched flow. */
  watchFlow: (request: WatchFlowRequest) => void;
  unwatchFlow: () => void;
  /** The map held is not the version the last delta builds on: send it whole again. */
  resyncTopology: () => void;
}
