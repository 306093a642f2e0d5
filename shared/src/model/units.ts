import { z } from 'zod';

/**
 * Milliseconds since the Unix epoch. Branded so a duration is never passed where an instant is
 * expected; the schema brands what it parses, so parsed events need no cast.
 */
export const epochMsSchema = z.number().brand<'EpochMs'>();
export type EpochMs = z.infer<typeof epochMsSchema>;

/** Server-assigned, strictly increasing sequence number of an ingested event. */
export const seqSchema = z.number().int().nonnegative().brand<'Seq'>();
export type Seq = z.infer<typeof seqSchema>;

/** Brands a plain number as an instant; the caller vouches that it is epoch milliseconds. */
export const epochMs = (n: number): EpochMs => n as EpochMs;
