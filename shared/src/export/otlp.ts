import { isDeadLettered, isFailure } from '../correlation/anomalies.js';
import type { Flow } from '../model/flow.js';
import type { FlowEvent } from '../model/flowEvent.js';

/**
 * A flow as OpenTelemetry spans in OTLP/JSON (an `ExportTraceServiceRequest`, as Jaeger and Tempo
 * import it): one span per event, from the broker's time of the event to the time of the first
 * event it caused (its hop), under the resource of the service that produced it. Ids follow
 * OTLP/JSON: hex strings, times as decimal nanoseconds.
 */
export type OtlpTraceRequest = {
  readonly resourceSpans: readonly {
    readonly resource: { readonly attributes: readonly OtlpAttribute[] };
    readonly scopeSpans: readonly {
      readonly scope: { readonly name: string; readonly version: string };
      readonly spans: readonly OtlpSpan[];
    }[];
  }[];
};

type OtlpAttribute = {
  readonly key: string;
  readonly value: { readonly stringValue: string } | { readonly intValue: string };
};

export type OtlpSpan = {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** SPAN_KIND_PRODUCER: a message sent to a broker. */
  readonly kind: 4;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpAttribute[];
  /** STATUS_CODE_ERROR for a failure or a dead letter, else unset. */
  readonly status: { readonly code: 0 | 2; readonly message?: string };
};

/** 32 bits of FNV-1a over a string, seeded: ids that stay the same for the same event or flow. */
function fnv32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A hex id of `words` × 32 bits derived from `text`; never all zeros (OTLP reads that as no id). */
function derivedId(text: string, words: number): string {
  let id = '';
  for (let w = 0; w < words; w++)
    id += fnv32(text, w * 0x9e3779b9)
      .toString(16)
      .padStart(8, '0');
  return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id;
}

const W3C_TRACE_ID = /^[0-9a-f]{32}$/;
const W3C_SPAN_ID = /^[0-9a-f]{16}$/;

/** The W3C trace id most of the flow's events carry, if any. */
export function flowTraceId(events: readonly Pick<FlowEvent, 'correlation'>[]): string | undefined {
  const counts = new Map<string, number>();
  for (const e of events) {
    const id = e.correlation.traceId?.toLowerCase();
    if (id && W3C_TRACE_ID.test(id) && !/^0+$/.test(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [id, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = id;
  return best;
}

const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();
const text = (key: string, value: string): OtlpAttribute => ({ key, value: { stringValue: value } });

function spanOf(flow: Flow, e: FlowEvent, traceId: string, parent: string | undefined, endMs: number): OtlpSpan {
  const failed = isFailure(e) || isDeadLettered(e);
  const attributes: OtlpAttribute[] = [
    text('messaging.system', e.source.broker),
    text('messaging.destination.name', e.channel),
    text('messaging.operation.type', 'send'),
    text('flowscope.event.id', e.id),
    text('flowscope.flow.kind', flow.kind),
  ];
  if (e.type) attributes.push(text('flowscope.event.type', e.type));
  if (e.correlation.messageId) attributes.push(text('messaging.message.id', e.correlation.messageId));
  if (e.partition !== undefined)
    attributes.push({ key: 'messaging.destination.partition.id', value: { stringValue: String(e.partition) } });
  if (e.source.broker === 'kafka') {
    // An int64 in OTLP: a larger offset (none is, in practice) goes as text rather than be refused.
    if (e.offset !== undefined)
      attributes.push(
        e.offset.length <= 18
          ? { key: 'messaging.kafka.offset', value: { intValue: e.offset } }
          : text('messaging.kafka.offset', e.offset),
      );
    if (e.key) attributes.push(text('messaging.kafka.message.key', e.key.value));
  }
  return {
    traceId,
    spanId: derivedId(e.id, 2),
    ...(parent ? { parentSpanId: parent } : {}),
    name: `${e.type ?? 'message'} → ${e.channel}`,
    kind: 4,
    startTimeUnixNano: nanos(e.timestamp),
    endTimeUnixNano: nanos(Math.max(e.timestamp, endMs)),
    attributes,
    status: failed ? { code: 2, message: `${e.type ?? 'event'} on ${e.channel}` } : { code: 0 },
  };
}

/**
 * The flow's spans: its W3C trace id when its events carry one (so they join the services' own
 * spans in Jaeger or Tempo), else one derived from the flow id. A span's parent is the span of the
 * event that caused it, else the producer's span from the event's traceparent.
 */
export function flowOtlp(flow: Flow, version: string): OtlpTraceRequest {
  const traceId = flowTraceId(flow.events) ?? derivedId(`flow:${flow.id}`, 4);
  const causeOf = new Map(flow.hops.map((h) => [h.to, h.from]));
  const firstEffect = new Map<string, number>();
  const byId = new Map(flow.events.map((e) => [e.id, e]));
  for (const h of flow.hops) {
    const effect = byId.get(h.to);
    if (!effect) continue;
    firstEffect.set(h.from, Math.min(firstEffect.get(h.from) ?? Infinity, effect.timestamp));
  }
  const byService = new Map<string, OtlpSpan[]>();
  for (const e of flow.events) {
    const cause = causeOf.get(e.id);
    const own = e.correlation.spanId?.toLowerCase();
    const parent =
      cause !== undefined && byId.has(cause)
        ? derivedId(cause, 2)
        : own && W3C_SPAN_ID.test(own) && e.correlation.traceId?.toLowerCase() === traceId
          ? own
          : undefined;
    const service = e.producer ?? 'unknown producer';
    const spans = byService.get(service) ?? [];
    spans.push(spanOf(flow, e, traceId, parent, firstEffect.get(e.id) ?? e.timestamp));
    byService.set(service, spans);
  }
  return {
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: { attributes: [text('service.name', service)] },
      scopeSpans: [{ scope: { name: 'flowscope', version }, spans }],
    })),
  };
}
