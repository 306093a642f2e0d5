import { z } from 'zod';
import type { FlowEvent } from '../model/flowEvent.js';
import { schemaChangeKinds } from '../model/insights.js';
import { channelNodeId, type Topology } from '../model/topology.js';
import { createSchemaAccumulator, inferredSchema, observeSchema, type SchemaAccumulator } from './schemaInference.js';

/** Every event's payload is read into the schema until this many samples, then one in SAMPLE_EVERY. */
const FULL_SAMPLES = 1000;
const SAMPLE_EVERY = 20;

/**
 * Whether the catalog reads the payload of the `count`-th event of a type on a channel into its
 * schema. A source thread applies the same rule to hand over the values it parsed for those.
 */
export const catalogSamples = (count: number): boolean => count <= FULL_SAMPLES || count % SAMPLE_EVERY === 0;
/** Bounds: a cluster with thousands of topics or types keeps the first ones. */
export const CATALOG_MAX_TYPES = 5000;

export const eventTypeEntrySchema = z.object({
  type: z.string(),
  count: z.number().int(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  producers: z.array(z.string()),
  /** JSON Schema inferred from payloads (only JSON payloads count). */
  schema: z.record(z.string(), z.unknown()).optional(),
  samples: z.number().int(),
  drift: z.array(
    z.object({
      at: z.number(),
      path: z.string(),
      change: z.string(),
      kind: z.enum(schemaChangeKinds),
      /** Sampled payloads that showed the change (of `samples`). */
      showing: z.number().int(),
      producer: z.string().optional(),
      eventId: z.string().optional(),
    }),
  ),
  /** One observed payload, as received (already masked). */
  example: z.string().optional(),
});
export type EventTypeEntry = Readonly<z.infer<typeof eventTypeEntrySchema>>;

export const channelEntrySchema = z.object({
  /** Map node id of the channel. */
  id: z.string(),
  name: z.string(),
  broker: z.string(),
  cluster: z.string(),
  eventCount: z.number().int(),
  rate: z.number(),
  producers: z.array(z.string()),
  consumers: z.array(z.string()),
  types: z.array(eventTypeEntrySchema),
});
export type ChannelEntry = Readonly<z.infer<typeof channelEntrySchema>>;

type TypeAcc = {
  channelId: string;
  channel: string;
  broker: string;
  cluster: string;
  type: string;
  count: number;
  firstSeenAt: number;
  lastSeenAt: number;
  producers: Set<string>;
  schema: SchemaAccumulator;
  example?: string;
};

/** Per channel and event type: counts, producers and the inferred payload schema. */
export type ChannelCatalog = { readonly types: Map<string, TypeAcc> };

export const createChannelCatalog = (): ChannelCatalog => ({ types: new Map() });

/** An event without a type is catalogued under this name. */
export const UNTYPED = '(untyped)';

/**
 * Catalogs one event. `json` is its payload's value when the caller already parsed it (ingest
 * does, once per event); otherwise a sampled payload is parsed here.
 */
export function observeChannelEvent(cat: ChannelCatalog, event: FlowEvent, json?: unknown): void {
  const channelId = channelNodeId(event.source.broker, event.source.cluster, event.channel);
  const type = event.type ?? UNTYPED;
  const key = `${channelId}\u0000${type}`;
  let acc = cat.types.get(key);
  if (!acc) {
    if (cat.types.size >= CATALOG_MAX_TYPES) return;
    acc = {
      channelId,
      channel: event.channel,
      broker: event.source.broker,
      cluster: event.source.cluster,
      type,
      count: 0,
      firstSeenAt: event.timestamp,
      lastSeenAt: event.timestamp,
      producers: new Set(),
      schema: createSchemaAccumulator(),
    };
    cat.types.set(key, acc);
  }
  acc.count += 1;
  acc.lastSeenAt = Math.max(acc.lastSeenAt, event.timestamp);
  if (event.producer) acc.producers.add(event.producer);
  if (event.payload.encoding === 'json' && !event.payload.truncated) {
    if (catalogSamples(acc.count)) {
      try {
        observeSchema(acc.schema, json ?? (JSON.parse(event.payload.value) as unknown), event.timestamp, {
          producer: event.producer,
          eventId: event.id,
        });
        acc.example ??= event.payload.value.length <= 4096 ? event.payload.value : undefined;
      } catch {
        // Not JSON after all (a masked payload is re-serialised JSON, so this is rare): skip.
      }
    }
  }
}

/** The channels section of the catalog: what the map knows, plus event types with their schemas. */
export function channelEntries(cat: ChannelCatalog, topology: Topology): ChannelEntry[] {
  const byChannel = new Map<string, TypeAcc[]>();
  for (const acc of cat.types.values()) {
    const list = byChannel.get(acc.channelId) ?? [];
    list.push(acc);
    byChannel.set(acc.channelId, list);
  }
  const names = new Map(topology.nodes.map((n) => [n.id, n.name]));
  // Each channel's producers and consumers, from one pass over the edges (a scan of every edge per
  // channel took 1.4 s on 5,000 channels with 20,000 producers).
  const ends = { produces: new Map<string, string[]>(), consumes: new Map<string, string[]>() };
  for (const e of topology.edges) {
    if (e.kind === 'routes') continue;
    const [channel, other] = e.kind === 'produces' ? [e.target, e.source] : [e.source, e.target];
    const list = ends[e.kind].get(channel);
    const name = names.get(other) ?? e.source;
    if (list) list.push(name);
    else ends[e.kind].set(channel, [name]);
  }
  const out: ChannelEntry[] = [];
  for (const node of topology.nodes) {
    if (node.kind !== 'channel') continue;
    const edgesOf = (kind: 'produces' | 'consumes') => [...(ends[kind].get(node.id) ?? [])].sort();
    const types = (byChannel.get(node.id) ?? [])
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type))
      .map((acc) => {
        const inferred = inferredSchema(acc.schema);
        return {
          type: acc.type,
          count: acc.count,
          firstSeenAt: acc.firstSeenAt,
          lastSeenAt: acc.lastSeenAt,
          producers: [...acc.producers].sort(),
          ...(inferred.samples > 0 ? { schema: inferred.schema } : {}),
          samples: inferred.samples,
          drift: inferred.drift.map((d) => ({ ...d })),
          ...(acc.example !== undefined ? { example: acc.example } : {}),
        };
      });
    out.push({
      id: node.id,
      name: node.name,
      broker: node.broker ?? 'unknown',
      cluster: node.cluster ?? '',
      eventCount: node.eventCount,
      rate: node.rate,
      producers: edgesOf('produces'),
      consumers: edgesOf('consumes'),
      types,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
