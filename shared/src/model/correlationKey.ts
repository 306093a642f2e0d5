import { z } from 'zod';

/** One correlation value an event carries, e.g. `{ name: 'orderId', value: 'A-1001' }`. */
export const correlationKeySchema = z.object({
  name: z.string().min(1),
  value: z.string().min(1),
});
export type CorrelationKey = Readonly<z.infer<typeof correlationKeySchema>>;

export const correlationSchema = z.object({
  keys: z.array(correlationKeySchema),
  /** Id of the event (or span) that caused this one. */
  /** The message's own id as its producer set it (CloudEvents id, message-id header). */
  messageId: z.string().optional(),
  causationId: z.string().optional(),
  traceId: z.string().optional(),
  spanId: z.string().optional(),
});
export type Correlation = Readonly<z.infer<typeof correlationSchema>>;

/** True when both keys name the same correlation value. */
export const sameKey = (a: CorrelationKey, b: CorrelationKey): boolean => a.name === b.name && a.value === b.value;
