import { z } from 'zod';
import { brokerKindSchema } from './broker.js';
import { sourceLagSchema } from './sourceLag.js';

export const sourceStates = ['connecting', 'connected', 'reconnecting', 'disconnected', 'stopped'] as const;
export type SourceState = (typeof sourceStates)[number];

/** Why a source is not delivering, as a literal the UI can explain. */
export const sourceFailureReasons = [
  'unreachable',
  'auth-failed',
  'tls-failed',
  'topic-not-found',
  'misconfigured',
  'internal',
] as const;
export type SourceFailureReason = (typeof sourceFailureReasons)[number];

export const sourceStatusSchema = z.object({
  id: z.string(),
  broker: brokerKindSchema,
  cluster: z.string(),
  /** Human description of what is tapped, e.g. "127.0.0.1:9092 · orders.*". Never carries secrets. */
  target: z.string(),
  state: z.enum(sourceStates),
  eventsReceived: z.number().int().nonnegative(),
  lastEventAt: z.number().optional(),
  since: z.number(),
  error: z
    .object({
      reason: z.enum(sourceFailureReasons),
      message: z.string(),
      hint: z.string(),
    })
    .optional(),
  /** Flowscope's own lag behind the end of the log; absent for a source without one (not applicable). */
  lag: sourceLagSchema.optional(),
});
export type SourceStatus = Readonly<z.infer<typeof sourceStatusSchema>>;
