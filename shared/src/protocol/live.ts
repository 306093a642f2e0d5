import { z } from 'zod';
import type { FlowEvent } from '../model/flowEvent.js';
import type { SourceStatus } from '../model/sourceStatus.js';
import type { Topology } from '../model/topology.js';

/** socket.io namespace of the live stream. */
export const LIVE_NAMESPACE = '/live';

/** How long the server gathers events before sending one batch, in ms. */
export const LIVE_BATCH_MS = 100;

/** Sent once per connection and on every resubscribe: where the stream stands. */
export type LiveHello = Readonly<{ serverTime: number; lastSeq: number; version: string }>;

/** A batch of events in seq order. `skipped` > 0 says events before these were not sent. */
export type LiveEventBatch = Readonly<{ events: readonly FlowEvent[]; skipped: number }>;

export const subscribeRequestSchema = z.object({
  /** Resume after this seq: events with a larger seq that are still buffered are replayed. */
  afterSeq: z.number().int().nonnegative().optional(),
  /** Only events matching this filter expression (see shared/src/filter) are sent. */
  filter: z.string().max(2000).optional(),
});
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

export type SubscribeAck = Readonly<{ ok: true; hello: LiveHello } | { ok: false; error: string }>;

/** Messages the server sends on `/live`. */
export interface ServerToClientEvents {
  hello: (hello: LiveHello) => void;
  events: (batch: LiveEventBatch) => void;
  topology: (topology: Topology) => void;
  sources: (sources: readonly SourceStatus[]) => void;
  /** A watched flow gained events (its id may differ from the watched one after a merge). */
  flowChanged: (change: FlowChange) => void;
}

export type FlowChange = Readonly<{ watchedId: string; flowId: string }>;

export const watchFlowRequestSchema = z.object({ flowId: z.string().min(1).max(512) });

/** Messages a client sends on `/live`; every payload is validated by the server. */
export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (ack: SubscribeAck) => void) => void;
  /** Be told when this flow changes; replaces any previously watched flow. */
  watchFlow: (request: { flowId: string }) => void;
  unwatchFlow: () => void;
}
