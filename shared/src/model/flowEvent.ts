import { z } from 'zod';
import { eventOriginSchema } from './broker.js';
import { correlationSchema } from './correlationKey.js';
import { messageKeySchema, payloadSchema } from './payload.js';
import { epochMsSchema, seqSchema } from './units.js';

/** Header values as received; a header repeated on one message keeps every value in order. */
export const headersSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/**
 * One message observed on a broker, normalized. `id` is stable across restarts and re-reads
 * (broker + cluster + channel + partition + offset, or the broker's message id).
 */
export const flowEventSchema = z.object({
  id: z.string().min(1),
  seq: seqSchema,
  source: eventOriginSchema,
  channel: z.string().min(1),
  partition: z.number().int().nonnegative().optional(),
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: z.string().regex(/^\d+$/).optional(),
  timestamp: epochMsSchema,
  receivedAt: epochMsSchema,
  key: messageKeySchema.optional(),
  headers: headersSchema,
  type: z.string().optional(),
  producer: z.string().optional(),
  correlation: correlationSchema,
  payload: payloadSchema,
});

export type FlowEvent = Readonly<z.infer<typeof flowEventSchema>>;

/** Parses untrusted input (HTTP, socket) into a FlowEvent, or throws a ZodError naming the field. */
export const parseFlowEvent = (input: unknown): FlowEvent => flowEventSchema.parse(input);

/** First value of a header, case-insensitively, or undefined. */
export function headerValue(event: Pick<FlowEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
