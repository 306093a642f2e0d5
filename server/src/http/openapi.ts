import {
  annotationInputSchema,
  annotationSchema,
  annotationsResponseSchema,
  apiErrorSchema,
  breakpointInputSchema,
  breakpointPatchSchema,
  breakpointSchema,
  breakpointsResponseSchema,
  catalogResponseSchema,
  insightsResponseSchema,
  consumersResponseSchema,
  entityResponseSchema,
  historyResponseSchema,
  eventsResponseSchema,
  flowEventSchema,
  flowResponseSchema,
  flowsResponseSchema,
  gapsResponseSchema,
  MAP_BOUND,
  healthResponseSchema,
  topologyResponseSchema,
} from '@flowscope/shared';
import { z } from 'zod';

/** JSON Schema of a response, from the same zod schema both ends parse with. */
const schema = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'output' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const json = (s: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: schema(s) } },
});
const errors = {
  '400': json(apiErrorSchema, 'The request is malformed; `message` says which parameter and why.'),
  '401': json(apiErrorSchema, 'Missing or wrong access token.'),
};
const query = (name: string, description: string, type: 'string' | 'integer' = 'string') => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type },
});

/** Every route of API v1, with its response schema. */
const paths = {
  '/api/health': {
    get: {
      summary: 'Server and source status',
      responses: { '200': json(healthResponseSchema, 'Status of every source.'), ...errors },
    },
  },
  '/api/events': {
    get: {
      summary: 'Events, newest first, with cursor paging',
      parameters: [
        query('filter', 'Filter expression, e.g. `channel == "payments" && payload.amount > 100`.'),
        query('since', 'Only events at or after this time (ISO 8601 or epoch ms).'),
        query('until', 'Only events before this time (ISO 8601 or epoch ms).'),
        query('limit', 'Page size, 1 to 500 (default 100).', 'integer'),
        query('before', 'The `nextCursor` of the previous page.'),
      ],
      responses: { '200': json(eventsResponseSchema, 'A page of events.'), ...errors },
    },
  },
  '/api/events/{id}': {
    get: {
      summary: 'One event by id',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': json(flowEventSchema, 'The event.'),
        '404': json(apiErrorSchema, 'Unknown or expired.'),
        ...errors,
      },
    },
  },
  '/api/flows': {
    get: {
      summary: 'Flows by any correlation value (order id, trace id, correlation id), or the most recent',
      parameters: [
        query('key', 'Any correlation value, flow id, event id or message id.'),
        query('limit', 'At most this many (default 50).', 'integer'),
      ],
      responses: { '200': json(flowsResponseSchema, 'Matching flows, newest first.'), ...errors },
    },
  },
  '/api/flows/{id}': {
    get: {
      summary: 'One flow with its events, hops and anomalies',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': json(flowResponseSchema, 'The flow.'),
        '404': json(apiErrorSchema, 'Unknown or expired.'),
        ...errors,
      },
    },
  },
  '/api/topology': {
    get: {
      summary:
        'Services and channels with produce/consume edges: the busiest within a bound, the rest grouped into `others:` nodes (see `hidden`)',
      parameters: (['services', 'channels', 'edges'] as const).map((name) => ({
        name,
        in: 'query' as const,
        required: false,
        description: `Most ${name} drawn (default ${MAP_BOUND[name]}, at most 20000).`,
        schema: { type: 'integer' as const, minimum: 1, maximum: 20_000 },
      })),
      responses: { '200': json(topologyResponseSchema, 'The map.'), ...errors },
    },
  },
  '/api/consumers': {
    get: {
      summary:
        'Consumers of every tapped broker (Kafka consumer groups, queues, durables): members, lag per channel (and per partition), lag history',
      responses: { '200': json(consumersResponseSchema, 'Consumers, by source and id.'), ...errors },
    },
  },
  '/api/consumer-groups': {
    get: {
      summary: 'The same consumers as /api/consumers, under the older name: { groups }',
      responses: {
        '200': json(z.object({ groups: consumersResponseSchema.shape.consumers }), 'Consumers, by source and id.'),
        ...errors,
      },
    },
  },
  '/api/export/ndjson': {
    get: {
      summary:
        'A capture of one flow (flow=) or of the events matching a filter (filter=, limit= up to 100000), replayable with --replay',
      parameters: [
        { name: 'flow', in: 'query', schema: { type: 'string' } },
        { name: 'filter', in: 'query', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100000 } },
      ],
      responses: {
        '200': { description: 'Header line, then one event per line.', content: { 'application/x-ndjson': {} } },
        '404': json(apiErrorSchema, 'Unknown flow.'),
        ...errors,
      },
    },
  },
  '/api/export/mermaid': {
    get: {
      summary: 'Mermaid: a flow (flow=) or a flow kind (kind=) as a sequence diagram, else the map as a flowchart',
      parameters: [
        { name: 'flow', in: 'query', schema: { type: 'string' } },
        { name: 'kind', in: 'query', schema: { type: 'string' } },
      ],
      responses: {
        '200': { description: 'Mermaid text.', content: { 'text/plain': {} } },
        '404': json(apiErrorSchema, 'Unknown flow or kind.'),
        ...errors,
      },
    },
  },
  '/api/export/markdown': {
    get: {
      summary:
        'Documentation as Markdown files (one per flow kind, service and channel, with Mermaid diagrams), in a tar archive',
      responses: { '200': { description: 'A ustar archive.', content: { 'application/x-tar': {} } }, ...errors },
    },
  },
  '/api/export/html': {
    get: {
      summary: 'The same documentation as one self-contained HTML page (no scripts, opens from disk)',
      responses: { '200': { description: 'HTML.', content: { 'text/html': {} } }, ...errors },
    },
  },
  '/api/annotations': {
    get: {
      summary: 'Titles and descriptions people added to flow kinds, steps, services and channels',
      responses: { '200': json(annotationsResponseSchema, 'Annotations, by target.'), ...errors },
    },
    put: {
      summary:
        'Add or replace the annotation of a target (kind:…, step:<kind>/<type@channel>, service:…, channel:<map node id>)',
      requestBody: { required: true, content: { 'application/json': { schema: schema(annotationInputSchema) } } },
      responses: { '200': json(annotationSchema, 'The saved annotation.'), ...errors },
    },
    delete: {
      summary: 'Remove the annotation of a target',
      parameters: [{ name: 'target', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        '204': { description: 'Removed.' },
        '404': json(apiErrorSchema, 'No annotation there.'),
        ...errors,
      },
    },
  },
  '/api/history': {
    get: {
      summary:
        'The view at a moment of the past (time travel): the map drawn from the events of the window before it, and the newest events up to it, from the buffer and the store',
      parameters: [
        { name: 'at', in: 'query', required: true, description: 'The moment, epoch ms', schema: { type: 'integer' } },
        query('window', 'Milliseconds of events before `at` that draw the map (default 300000)', 'integer'),
      ],
      responses: { '200': json(historyResponseSchema, 'The map and the stream at that moment.'), ...errors },
    },
  },
  '/api/entity': {
    get: {
      summary:
        'The history of one entity: every event carrying a key value (an order id, an account id), across flows and brokers, oldest first',
      parameters: [
        { name: 'value', in: 'query', required: true, description: 'The key value', schema: { type: 'string' } },
        query('key', 'Only this key name (e.g. orderId); otherwise any key with the value'),
      ],
      responses: { '200': json(entityResponseSchema, 'The events, the flows they are in.'), ...errors },
    },
  },
  '/api/breakpoints': {
    get: {
      summary: 'Breakpoints over live traffic, with their hit counts and last hits',
      responses: { '200': json(breakpointsResponseSchema, 'Every breakpoint.'), ...errors },
    },
    post: {
      summary:
        'Set a breakpoint: a filter expression (the stream filter language) or a flow condition (failed, stuck, anomaly). Every open view pauses at a hit; the brokers are never paused.',
      requestBody: { required: true, content: { 'application/json': { schema: schema(breakpointInputSchema) } } },
      responses: {
        '201': json(breakpointSchema, 'The breakpoint set.'),
        '409': json(apiErrorSchema, 'Too many breakpoints.'),
        ...errors,
      },
    },
  },
  '/api/breakpoints/{id}': {
    patch: {
      summary: 'Enable, disable or relabel a breakpoint',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: schema(breakpointPatchSchema) } } },
      responses: {
        '200': json(breakpointSchema, 'The breakpoint as it is now.'),
        '404': json(apiErrorSchema, 'No such breakpoint.'),
        ...errors,
      },
    },
    delete: {
      summary: 'Remove a breakpoint',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '204': { description: 'Removed.' },
        '404': json(apiErrorSchema, 'No such breakpoint.'),
        ...errors,
      },
    },
  },
  '/api/export/otlp': {
    get: {
      summary:
        'One flow as OpenTelemetry spans (OTLP/JSON ExportTraceServiceRequest): one span per event with the broker time, parented by cause; Jaeger and Tempo import it',
      parameters: [query('flow', 'A flow id or any of its event ids')],
      responses: {
        '200': { description: 'OTLP/JSON.', content: { 'application/json': {} } },
        '404': json(apiErrorSchema, 'No such flow.'),
        ...errors,
      },
    },
  },
  '/api/export/asyncapi': {
    get: {
      summary: 'AsyncAPI 3.0 document of the observed system, with inferred message schemas',
      responses: { '200': { description: 'AsyncAPI 3.0 (JSON).', content: { 'application/json': {} } }, ...errors },
    },
  },
  '/api/gaps': {
    get: {
      summary: 'Places where events may have been missed (e.g. while Flowscope was stopped)',
      responses: { '200': json(gapsResponseSchema, 'Gaps, newest first.'), ...errors },
    },
  },
  '/api/catalog': {
    get: {
      summary: 'Learned flow kinds with their templates',
      responses: { '200': json(catalogResponseSchema, 'Flow kinds and engine stats.'), ...errors },
    },
  },
  '/api/insights': {
    get: {
      summary: 'Architecture insights measured from the traffic',
      description:
        'Consumer idempotency, consistency windows per flow kind and consumer, ordering per channel and partition, schema changes judged for compatibility, event or command, dead letters; and the findings ranked by how many flows they affect.',
      responses: { '200': json(insightsResponseSchema, 'Findings and each section.'), ...errors },
    },
  },
};

/** The OpenAPI 3.1 document of API v1, served at /api/openapi.json. */
export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flowscope API',
      version,
      description:
        'Read-only API of a Flowscope server. Every route needs the startup token: `Authorization: Bearer <token>` (or the cookie the browser gets from the printed URL).',
    },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    security: [{ token: [] }],
    paths,
  };
}
