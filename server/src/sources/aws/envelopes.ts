import type { RawHeaderValue, RawRecord } from '../contract.js';

/** The part of an SQS message from Flowscope's own tap queue that records are made of. */
export type TapMessage = {
  readonly MessageId?: string;
  readonly Body?: string;
  /** System attributes: `SentTimestamp`, `AWSTraceHeader`, … */
  readonly Attributes?: Readonly<Record<string, string>>;
};

/** Channel names: SQS queues by their name, SNS topics and EventBridge buses with a prefix, so none collide. */
export const topicChannel = (topicName: string) => `sns:${topicName}`;
export const busChannel = (bus: string) => `events:${bus}`;

/** The last part of an ARN (`arn:aws:sns:eu-west-1:123:orders` → `orders`; a rule ARN → `bus/rule`). */
export function arnName(arn: string): string {
  const parts = arn.split(':');
  const last = parts.slice(5).join(':');
  return last.startsWith('rule/') || last.startsWith('event-bus/') ? last.slice(last.indexOf('/') + 1) : last;
}

/**
 * X-Ray's `Root=1-5759e988-bd86…;Parent=53995c3f42cd8ad8;Sampled=1` as W3C trace context, which
 * correlation reads: the trace id is the root without its version and dashes, the parent the
 * span. Without a parent it becomes a B3 trace id (no span), so the trace still joins.
 */
export function xrayHeaders(header: string | undefined): Record<string, string> {
  if (!header) return {};
  const fields = Object.fromEntries(
    header.split(';').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const root = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i.exec(fields.Root ?? '');
  if (!root) return { 'x-amzn-trace-id': header };
  const traceId = `${root[1]}${root[2]}`.toLowerCase();
  const parent = /^[0-9a-f]{16}$/i.test(fields.Parent ?? '') ? String(fields.Parent).toLowerCase() : undefined;
  if (!parent) return { 'x-amzn-trace-id': header, 'X-B3-TraceId': traceId };
  const flags = fields.Sampled === '1' ? '01' : '00';
  return { 'x-amzn-trace-id': header, traceparent: `00-${traceId}-${parent}-${flags}` };
}

type SnsAttribute = { Type?: string; Value?: string };

/** SNS message attributes as headers: strings and numbers as text, `Binary` as its bytes. */
function snsHeaders(attrs: unknown): Record<string, RawHeaderValue> {
  const out: Record<string, RawHeaderValue> = {};
  if (!attrs || typeof attrs !== 'object') return out;
  for (const [name, a] of Object.entries(attrs as Record<string, SnsAttribute>)) {
    if (typeof a?.Value !== 'string') continue;
    out[name] = a.Type === 'Binary' ? new Uint8Array(Buffer.from(a.Value, 'base64')) : a.Value;
  }
  return out;
}

const timeOf = (text: unknown, fallback: number) => {
  const t = typeof text === 'string' ? Date.parse(text) : NaN;
  return Number.isFinite(t) ? t : fallback;
};

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON value as JSON text, or `otherwise` when it is nested past what
 * JSON.stringify recurses through (about 10,000 levels): a throw here would fail the whole receive,
 * and the batch would come back after its visibility timeout, and fail again, for ever.
 */
function jsonText(v: unknown, otherwise: string): string {
  try {
    return JSON.stringify(v) ?? otherwise;
  } catch {
    return otherwise;
  }
}

/**
 * One message of a tap queue as a record. SNS notifications (raw delivery off) keep their envelope:
 * `MessageId` is the event id (the same in every subscriber's copy), `Timestamp` the event time,
 * `MessageAttributes` the headers, `Message` the payload. EventBridge events: `id`, `time`,
 * `source` as the producer header, `detail-type` as the type header, `detail` as the payload.
 * `bus` names the bus whose tap queue it came from. Anything else is not Flowscope's: undefined.
 */
export function recordOf(m: TapMessage, bus?: string): RawRecord | undefined {
  const env = parse(m.Body ?? '');
  if (!env) return undefined;
  const sent = Number(m.Attributes?.SentTimestamp ?? Date.now());
  const trace = xrayHeaders(m.Attributes?.AWSTraceHeader);
  if (env.Type === 'Notification' && typeof env.TopicArn === 'string' && typeof env.MessageId === 'string') {
    const attrs = snsHeaders(env.MessageAttributes);
    return {
      channel: topicChannel(arnName(env.TopicArn)),
      messageId: env.MessageId,
      timestamp: timeOf(env.Timestamp, sent),
      headers: {
        ...trace,
        ...attrs,
        'sns-topic-arn': env.TopicArn,
        ...(typeof env.Subject === 'string' ? { 'sns-subject': env.Subject } : {}),
      },
      value: typeof env.Message === 'string' ? env.Message : null,
    };
  }
  if (bus !== undefined && typeof env.id === 'string' && typeof env.source === 'string' && 'detail-type' in env) {
    const text = (k: string) => (typeof env[k] === 'string' ? { [`aws-${k}`]: env[k] as string } : {});
    return {
      channel: busChannel(bus),
      messageId: env.id,
      timestamp: timeOf(env.time, sent),
      headers: {
        ...trace,
        source: env.source,
        type: String(env['detail-type']),
        ...text('account'),
        ...text('region'),
        ...(Array.isArray(env.resources) && env.resources.length > 0
          ? { 'aws-resources': env.resources.map((r) => (typeof r === 'string' ? r : jsonText(r, ''))).join(',') }
          : {}),
      },
      // A detail nested too deep to write out again keeps the whole event, as received.
      value: env.detail === undefined ? null : jsonText(env.detail, m.Body ?? ''),
    };
  }
  return undefined;
}
