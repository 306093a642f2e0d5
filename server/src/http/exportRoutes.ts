import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  exportAsyncApi,
  exportCapture,
  exportDocs,
  exportMermaid,
  exportOtlp,
  type ExportResult,
} from '../export/exporter.js';
import type { Queries } from '../ingest/queries.js';
import type { SourceRegistry } from '../sourceRegistry.js';
import type { Annotations } from '../ingest/annotations.js';

function send(reply: FastifyReply, r: ExportResult) {
  if (!r.ok) return reply.code(r.status).send(r.error);
  return reply
    .header('content-type', r.contentType)
    .header('content-disposition', `attachment; filename="${r.fileName}"`)
    .send(r.text);
}

/** Exports over HTTP: NDJSON captures (replayable with --replay), Mermaid and AsyncAPI 3.0. */
export function exportRoutes(
  app: FastifyInstance,
  o: { queries: Queries; sources: SourceRegistry; annotations: Annotations; version: string },
) {
  app.get<{ Querystring: { flow?: string; filter?: string; limit?: string } }>(
    '/api/export/ndjson',
    async (req, reply) =>
      send(
        reply,
        exportCapture(
          o.queries,
          { ...req.query, limit: req.query.limit === undefined ? undefined : Number(req.query.limit) },
          Date.now(),
        ),
      ),
  );
  app.get<{ Querystring: { flow?: string; kind?: string } }>('/api/export/mermaid', async (req, reply) =>
    send(
      reply,
      exportMermaid(
        o.queries,
        o.queries.topology(o.sources.consumers(), o.sources.links()),
        req.query,
        o.annotations.descriptions(),
      ),
    ),
  );
  app.get<{ Querystring: { flow?: string } }>('/api/export/otlp', async (req, reply) =>
    send(reply, exportOtlp(o.queries, req.query.flow, o.version)),
  );
  app.get('/api/export/asyncapi', async (_req, reply) =>
    send(
      reply,
      exportAsyncApi(
        o.queries,
        o.queries.topology(o.sources.consumers(), o.sources.links()),
        o.sources.servers(),
        Date.now(),
        o.annotations.descriptions(),
      ),
    ),
  );
  for (const format of ['markdown', 'html'] as const) {
    app.get(`/api/export/${format}`, async (_req, reply) =>
      send(
        reply,
        exportDocs(
          o.queries,
          o.queries.topology(o.sources.consumers(), o.sources.links()),
          format,
          Date.now(),
          o.annotations.descriptions(),
        ),
      ),
    );
  }
}
