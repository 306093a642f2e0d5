import { z } from 'zod';
import { channelEntrySchema } from '../catalog/channels.js';
import { flowSchema, flowSummarySchema } from '../model/flow.js';
import { flowEventSchema } from '../model/flowEvent.js';
import { flowTemplateSchema } from '../model/flowTemplate.js';
import { sourceStatusSchema } from '../model/sourceStatus.js';
import { topologySchema, type Topology } from '../model/topology.js';

/** HTTP API v1 response shapes; both ends parse with these. */
/**
 * Whether history is being written: `writing`; `failing` while the store cannot write (disk full, a
 * read-only directory), when events wait in memory and are written once it can again; `off` when
 * history is kept in memory only (`--no-store`).
 */
export const storeStatusSchema = z.object({
  state: z.enum(['writing', 'failing', 'off']),
  /** Why writing fails, as the file system or SQLite said. */
  reason: z.string().optional(),
  /** The data directory, to free space on or make writable. */
  dir: z.string().optional(),
  /** Events accepted and not yet written. */
  unwritten: z.number().int().nonnegative(),
});
export type StoreStatus = z.infer<typeof storeStatusSchema>;

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  sources: z.array(sourceStatusSchema),
  store: storeStatusSchema.optional(),
  /** The server process's own memory, in bytes (what a soak run watches over time). */
  memory: z.object({ rss: z.number().nonnegative(), heapUsed: z.number().nonnegative() }).optional(),
  /** Links out of Flowscope the user configured: `trace` turns a W3C trace id into a URL (`{traceId}`). */
  links: z.object({ trace: z.string().optional() }).optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const eventsResponseSchema = z.object({
  events: z.array(flowEventSchema),
  nextCursor: z.string().optional(),
  /** Why the scan stopped before the page was full or the history ended (`nextCursor` goes on). */
  notice: z.string().optional(),
});
export type EventsResponse = z.infer<typeof eventsResponseSchema>;

export const topologyResponseSchema = topologySchema;

export const apiErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** Name of the header (and query parameter) that carries the startup token. */
export const TOKEN_QUERY_PARAM = 'token';
export const EVENTS_DEFAULT_LIMIT = 100;
export const EVENTS_MAX_LIMIT = 500;

export const flowsResponseSchema = z.object({ flows: z.array(flowSummarySchema) });
export type FlowsResponse = z.infer<typeof flowsResponseSchema>;
export const flowResponseSchema = flowSchema;

/** The most events `GET /api/history` returns for the stream at a moment. */
export const HISTORY_MAX_EVENTS = 1_000;

/**
 * The view at a moment of the past: the map as the events of the window before it drew it (its
 * counts over the window, rates over the last seconds before it), and the newest events up to it.
 */
export const historyResponseSchema = z.object({
  at: z.number(),
  windowMs: z.number(),
  topology: topologySchema,
  /** Newest first as they arrived (seq), each with an event time at or before `at`. */
  events: z.array(flowEventSchema),
  /** More events fall in the window than drew the map (it shows the newest of them). */
  sampled: z.boolean(),
  /** Event times of the oldest and newest events held (the store, else memory): where a scrubber can go. */
  range: z.object({ oldest: z.number(), newest: z.number() }).optional(),
});
export type HistoryResponse = Omit<z.infer<typeof historyResponseSchema>, 'topology'> & { topology: Topology };

/** The most events one entity's history carries (the oldest first; `truncated` says more exist). */
export const ENTITY_MAX_EVENTS = 2_000;

/**
 * The history of one entity: every event that carries its key value (an order id, an account
 * id), across flows and brokers, oldest first.
 */
export const entityResponseSchema = z.object({
  /** The key's name when one was asked for; otherwise any key with this value. */
  name: z.string().optional(),
  value: z.string(),
  events: z.array(flowEventSchema),
  /** The flows these events belong to. */
  flowIds: z.array(z.string()),
  /** More events carry the value than `events` holds. */
  truncated: z.boolean(),
});
export type EntityResponse = z.infer<typeof entityResponseSchema>;

export const catalogResponseSchema = z.object({
  kinds: z.array(flowTemplateSchema),
  /** Every channel with its event types, producers, consumers, rate and inferred schemas. */
  channels: z.array(channelEntrySchema),
  stats: z.object({
    events: z.number(),
    flows: z.number(),
    merges: z.number(),
    duplicates: z.number(),
    evictedFlows: z.number(),
    evictedEvents: z.number(),
    /** Key values carried by so many events (a tenant, a constant) that they no longer join flows. */
    hotKeys: z.number(),
    templates: z.number(),
  }),
});
export type CatalogResponse = z.infer<typeof catalogResponseSchema>;
export const FLOWS_DEFAULT_LIMIT = 50;
