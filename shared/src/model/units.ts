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

/** The latest instant a JavaScript Date can hold (8.64e15 ms, in the year 275760). */
export const MAX_EPOCH_MS = 8.64e15;

/**
 * Whether `n` is an instant every view can show: a finite number of ms from the epoch up to
 * MAX_EPOCH_MS. A broker may hand over any 64-bit value (Kafka's -1 for "none", a producer's
 * 1e300); ingest puts the time it received such an event in its place.
 */
export const isShowableTime = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= MAX_EPOCH_MS;

/** ISO 8601 text of an instant, or what it was when it is none (`new Date(1e300).toISOString()` throws). */
export const isoTime = (ms: number): string =>
  // A given instant written out: no clock is read.
  // eslint-disable-next-line no-restricted-globals
  isShowableTime(ms) ? new Date(ms).toISOString() : `(not a time: ${String(ms)})`;

/** The header ingest adds where it replaced an event's time it could not show: the time as received. */
export const INVALID_TIME_HEADER = 'flowscope-invalid-timestamp';
