import {
  asyncApiDocument,
  channelEntries,
  htmlDocs,
  isoTime,
  markdownDocs,
  tarArchive,
  type DocsInput,
  compileFilter,
  flowOtlp,
  flowSequence,
  kindSequence,
  mapFlowchart,
  toCapture,
  type ApiError,
  type AsyncApiServer,
  type FlowEvent,
  type Topology,
} from '@flowscope/shared';
import type { Queries } from '../ingest/queries.js';

/** Most events one NDJSON export carries. */
const EXPORT_MAX_EVENTS = 100_000;

export type ExportResult =
  | { ok: true; text: string | Buffer; fileName: string; contentType: string; files?: Record<string, string> }
  | { ok: false; status: 400 | 404; error: ApiError };

/** A file name without anything a header or a file system would trip on. */
const fileName = (base: string, ext: string) =>
  `${base.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'export'}.${ext}`;

const notFound = (message: string, hint?: string): ExportResult => ({
  ok: false,
  status: 404,
  error: { error: 'not-found', message, ...(hint ? { hint } : {}) },
});

/**
 * The exports, shared by the HTTP API and `flowscope export` (which runs them on a data
 * directory). Built from events as stored, so masked values never appear.
 */
export function exportCapture(
  queries: Queries,
  q: { flow?: string | undefined; filter?: string | undefined; limit?: number | undefined },
  now: number,
): ExportResult {
  const limit = q.limit ?? EXPORT_MAX_EVENTS;
  if (!Number.isInteger(limit) || limit < 1 || limit > EXPORT_MAX_EVENTS)
    return {
      ok: false,
      status: 400,
      error: { error: 'bad-limit', message: `limit must be a whole number from 1 to ${EXPORT_MAX_EVENTS}.` },
    };
  let events: FlowEvent[];
  let selection: string;
  if (q.flow) {
    const flow = queries.flow(q.flow);
    if (!flow) return notFound(`No flow with id ${q.flow}.`);
    events = [...flow.events] as FlowEvent[];
    selection = `flow ${q.flow}`;
  } else {
    let filter: ((e: FlowEvent) => boolean) | undefined;
    if (q.filter?.trim()) {
      const compiled = compileFilter(q.filter);
      if (!compiled.ok)
        return {
          ok: false,
          status: 400,
          error: { error: 'bad-filter', message: compiled.error.message, hint: compiled.error.excerpt },
        };
      filter = (e) => compiled.filter.test(e);
    }
    events = [];
    let before: number | undefined;
    do {
      const page = queries.events({
        limit: Math.min(500, limit - events.length),
        ...(before !== undefined ? { before } : {}),
        ...(filter ? { filter } : {}),
      });
      events.push(...page.events);
      before = page.nextCursor;
    } while (before !== undefined && events.length < limit);
    events.reverse(); // oldest first, as they happened
    selection = q.filter?.trim() ? `filter ${q.filter.trim()}` : 'all events';
  }
  return {
    ok: true,
    text: toCapture(events, selection, now),
    fileName: fileName(`flowscope-${q.flow ?? 'capture'}`, 'ndjson'),
    contentType: 'application/x-ndjson; charset=utf-8',
  };
}

export function exportMermaid(
  queries: Queries,
  topology: Topology,
  q: { flow?: string | undefined; kind?: string | undefined },
  annotations: Readonly<Record<string, string>> = {},
): ExportResult {
  let text: string;
  let name: string;
  if (q.flow) {
    const flow = queries.flow(q.flow);
    if (!flow) return notFound(`No flow with id ${q.flow}.`);
    text = flowSequence(flow, `${flow.kind} · ${flow.keys.map((k) => k.value).join(', ')}`);
    name = `flow-${flow.kind}`;
  } else if (q.kind) {
    const template = queries.kinds().find((t) => t.kind === q.kind);
    if (!template)
      return notFound(
        `No learned flow kind "${q.kind}".`,
        'Kinds are learned from completed flows; see GET /api/catalog.',
      );
    text = kindSequence(template, annotations);
    name = `kind-${q.kind}`;
  } else {
    text = mapFlowchart(topology, annotations);
    name = 'map';
  }
  return { ok: true, text, fileName: fileName(name, 'mmd'), contentType: 'text/plain; charset=utf-8' };
}

/** A flow as OpenTelemetry spans (OTLP/JSON), for Jaeger, Tempo or any OTLP collector. */
export function exportOtlp(queries: Queries, flowId: string | undefined, version: string): ExportResult {
  if (!flowId)
    return {
      ok: false,
      status: 400,
      error: { error: 'bad-request', message: 'Name a flow: ?flow=<flow or event id>.' },
    };
  const flow = queries.flow(flowId);
  if (!flow) return notFound(`No flow with id ${flowId}.`);
  return {
    ok: true,
    text: JSON.stringify(flowOtlp(flow, version)),
    fileName: fileName(`flow-${flow.kind}-otlp`, 'json'),
    contentType: 'application/json; charset=utf-8',
  };
}

export function exportAsyncApi(
  queries: Queries,
  topology: Topology,
  servers: readonly AsyncApiServer[],
  now: number,
  annotations: Readonly<Record<string, string>> = {},
): ExportResult {
  const channels = channelEntries(queries.channelCatalog, topology);
  const descriptions = Object.fromEntries(
    channels.flatMap((c) => {
      const text = annotations[`channel:${c.id}`];
      return text ? [[c.id, text]] : [];
    }),
  );
  const doc = asyncApiDocument({
    title: 'Observed event flows',
    version: new Date(now).toISOString().slice(0, 10),
    servers,
    channels,
    descriptions,
  });
  return {
    ok: true,
    text: `${JSON.stringify(doc, null, 2)}\n`,
    fileName: 'asyncapi.json',
    contentType: 'application/json; charset=utf-8',
  };
}

/** Markdown files (as a tar archive, and as files for the CLI) or one self-contained HTML page. */
export function exportDocs(
  queries: Queries,
  topology: Topology,
  format: 'markdown' | 'html',
  now: number,
  annotations: Readonly<Record<string, string>> = {},
): ExportResult {
  const input: DocsInput = {
    title: 'Observed event flows',
    generatedAt: now,
    kinds: queries.kinds(),
    channels: channelEntries(queries.channelCatalog, topology),
    topology,
    insights: queries.insights(topology),
    annotations,
    formatTime: isoTime,
  };
  if (format === 'html')
    return {
      ok: true,
      text: htmlDocs(input),
      fileName: 'flowscope-docs.html',
      contentType: 'text/html; charset=utf-8',
    };
  const files = markdownDocs(input);
  return {
    ok: true,
    text: Buffer.from(tarArchive(files, now)),
    fileName: 'flowscope-docs.tar',
    contentType: 'application/x-tar',
    files,
  };
}
