import { z } from 'zod';

/** Where a correlation value is read from. */
export const ruleSources = ['header', 'payload', 'key'] as const;

/**
 * A declarative extraction rule: read `path` (a header name, or a dotted payload path) and, when
 * present, record it as a correlation key called `name`. `key` rules use the whole message key.
 */
export const correlationRuleSchema = z.object({
  name: z.string().min(1),
  from: z.enum(ruleSources),
  path: z.string().default(''),
  /** Only apply on channels matching this glob (`orders.*`); all channels when absent. */
  channel: z.string().optional(),
});
export type CorrelationRule = Readonly<z.infer<typeof correlationRuleSchema>>;

const headerRule = (name: string, path: string): CorrelationRule => ({ name, from: 'header', path });
const payloadRule = (name: string, path: string): CorrelationRule => ({ name, from: 'payload', path });

/** The conventions recognised out of the box (ARCHITECTURE.md, "Correlation conventions"). */
export const defaultCorrelationRules: readonly CorrelationRule[] = [
  ...['correlation-id', 'x-correlation-id', 'correlationId', 'kafka_correlationId'].map((h) =>
    headerRule('correlationId', h),
  ),
  headerRule('requestId', 'x-request-id'),
  payloadRule('correlationId', 'correlationId'),
  // snake_case too: Protobuf field names as decoded, and Python or Go services' JSON.
  ...['orderId', 'paymentId', 'shipmentId'].flatMap((field) => {
    const snake = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    return [field, snake].flatMap((path) => [payloadRule(field, path), payloadRule(field, `data.${path}`)]);
  }),
];

/** Header names that carry the producing service, in order of preference. */
export const producerHeaders = [
  'ce_source',
  'ce-source',
  'cloudEvents_source',
  'cloudEvents:source',
  'producer',
  'source',
  'service',
  'app-id',
  'app_id',
];
/** Header names that carry the event type, in order of preference. */
export const typeHeaders = [
  'ce_type',
  'ce-type',
  'cloudEvents_type',
  'cloudEvents:type',
  'type',
  'event-type',
  'eventType',
];
/** Header names that carry this message's own id (NATS `Nats-Msg-Id`: JetStream's deduplication id). */
export const messageIdHeaders = [
  'ce_id',
  'ce-id',
  'cloudEvents_id',
  'cloudEvents:id',
  'message-id',
  'messageId',
  'Nats-Msg-Id',
];
/** Header names that carry the id of the message that caused this one. */
export const causationHeaders = ['causation-id', 'causationId', 'x-causation-id', 'ce_causationid', 'ce-causationid'];

/** Minimal glob: `*` matches any run of characters; nothing else is special. */
export function globToRegExp(glob: string): RegExp {
  const parts = glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}
