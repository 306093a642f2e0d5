import { createRequire } from 'node:module';
import type { Flow, FlowSummary, OtlpSpan, OtlpTraceRequest } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, startFlowscope, TOKEN } from './helpers.js';

/**
 * The OTLP protobuf definitions as the OpenTelemetry JavaScript SDK ships them (generated from
 * opentelemetry-proto): what an OTLP collector, Jaeger or Tempo decodes.
 */
type ProtoType = {
  verify(o: unknown): string | null;
  fromObject(o: unknown): unknown;
  encode(m: unknown): { finish(): Uint8Array };
  decode(b: Uint8Array): unknown;
  toObject(m: unknown, o: { longs: StringConstructor; bytes: StringConstructor }): Record<string, unknown>;
};
const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoType } } } } };
};
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** OTLP/JSON to the proto3 JSON protobufjs reads: trace and span ids are hex there, base64 here. */
function toProtoJson(otlp: OtlpTraceRequest): unknown {
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  return {
    resourceSpans: otlp.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...ss,
        spans: ss.spans.map((s) => ({
          ...s,
          traceId: b64(s.traceId),
          spanId: b64(s.spanId),
          ...(s.parentSpanId ? { parentSpanId: b64(s.parentSpanId) } : {}),
        })),
      })),
    })),
  };
}

describe('OTLP export of a flow', () => {
  let server: Awaited<ReturnType<typeof startFlowscope>>;
  beforeAll(async () => {
    server = await startFlowscope(['--demo', '--demo-rate', '40']);
  });
  afterAll(async () => {
    await server.close();
  });

  it('is a valid ExportTraceServiceRequest: a span per event under its producer, parented by cause, in the flow’s W3C trace', async () => {
    const summary = await eventually(
      async () => {
        const { body } = await api<{ flows: FlowSummary[] }>(server, '/api/flows?limit=200');
        return body.flows.find((f) => f.eventCount >= 5 && f.services.length >= 3);
      },
      30_000,
      'a flow across three services',
    );
    // The demo runs on: export the flow between two reads of it that agree.
    const { flow, otlp, res } = await eventually(
      async () => {
        const before = await api<Flow>(server, `/api/flows/${encodeURIComponent(summary.id)}`);
        const res = await fetch(`${server.url}/api/export/otlp?flow=${encodeURIComponent(summary.id)}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        const otlp = (await res.json()) as OtlpTraceRequest;
        const after = await api<Flow>(server, `/api/flows/${encodeURIComponent(summary.id)}`);
        return before.body.eventCount === after.body.eventCount ? { flow: after.body, otlp, res } : undefined;
      },
      30_000,
      'a flow that holds still for its export',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="flow-.*-otlp\.json"/);

    // The protobuf schema accepts it, and it survives encoding to the wire format and back.
    const message = Request.fromObject(toProtoJson(otlp));
    expect(Request.verify(message)).toBeNull();
    const decoded = Request.toObject(Request.decode(Request.encode(message).finish()), {
      longs: String,
      bytes: String,
    }) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const decodedSpans = decoded.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const sent = otlp.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(decodedSpans).toHaveLength(flow.events.length);
    // Nothing was dropped as an unknown field: what comes back off the wire is what was sent.
    const wire = (s: Record<string, unknown>) => [
      s.name,
      s.kind,
      String(s.startTimeUnixNano),
      String(s.endTimeUnixNano),
    ];
    expect(decodedSpans.map(wire)).toEqual(sent.map((s) => wire(s as unknown as Record<string, unknown>)));
    expect(decodedSpans.every((s) => s.kind === 4)).toBe(true);

    const spans = otlp.resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, service: r.resource.attributes[0]?.value }))),
    );
    const eventIdOf = (span: OtlpSpan | undefined) => {
      const v = span?.attributes.find((a) => a.key === 'flowscope.event.id')?.value;
      return v && 'stringValue' in v ? v.stringValue : undefined;
    };
    const spanOf = (eventId: string) => spans.find((s) => eventIdOf(s) === eventId);
    // One trace: the W3C trace id the demo's events carry in traceparent.
    const traced = flow.events.flatMap((e) => (e.correlation.traceId ? [e.correlation.traceId] : []));
    expect(traced.length).toBeGreaterThan(0);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traced[0]]));
    // Each event a span, with the broker's time, under the service that produced it.
    for (const e of flow.events) {
      const span = spanOf(e.id);
      expect(span, e.id).toBeDefined();
      expect(span?.startTimeUnixNano).toBe(`${e.timestamp}000000`);
      expect(BigInt(span?.endTimeUnixNano ?? 0)).toBeGreaterThanOrEqual(BigInt(span?.startTimeUnixNano ?? 0));
      expect(span?.service).toEqual({ stringValue: e.producer });
    }
    // A caused event's span is the child of its cause's span.
    expect(flow.hops.length).toBeGreaterThan(0);
    for (const hop of flow.hops) {
      const parentId = spanOf(hop.to)?.parentSpanId;
      expect(eventIdOf(spans.find((s) => s.spanId === parentId))).toBe(hop.from);
    }
  });

  it('says which flow it could not find', async () => {
    const missing = await api<{ message: string }>(server, '/api/export/otlp?flow=nope');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('No flow with id nope.');
    expect((await api(server, '/api/export/otlp')).status).toBe(400);
  });
});
