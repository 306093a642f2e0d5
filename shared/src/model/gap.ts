import { z } from 'zod';

/**
 * Why continuity was lost. `unwritten`: Flowscope was killed (or crashed) before it had written
 * every event it had accepted; those seq numbers are never given out again.
 */
export const gapReasons = ['not-running', 'offset-out-of-range', 'trimmed', 'slow-client', 'unwritten'] as const;
export type GapReason = (typeof gapReasons)[number];

/**
 * A persisted marker wherever Flowscope may have missed events: it is shown, never hidden.
 * `from`/`until` bound the window in epoch ms when known.
 */
export const gapSchema = z.object({
  id: z.number().int(),
  at: z.number(),
  /** Source id, e.g. `kafka:prod`. */
  source: z.string(),
  channel: z.string().optional(),
  reason: z.enum(gapReasons),
  from: z.number().optional(),
  until: z.number().optional(),
  /** Kafka: the partition and the inclusive offset range that was never read. */
  partition: z.number().int().nonnegative().optional(),
  fromOffset: z.string().regex(/^\d+$/).optional(),
  untilOffset: z.string().regex(/^\d+$/).optional(),
  detail: z.string(),
});
export type Gap = Readonly<z.infer<typeof gapSchema>>;

export const gapsResponseSchema = z.object({ gaps: z.array(gapSchema) });
export type GapsResponse = z.infer<typeof gapsResponseSchema>;
