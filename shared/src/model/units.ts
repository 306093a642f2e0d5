/** Milliseconds since the Unix epoch. Branded so a duration is never passed where an instant is expected. */
export type EpochMs = number & { readonly __unit: 'EpochMs' };

/** Server-assigned, strictly increasing sequence number of an ingested event. */
export type Seq = number & { readonly __unit: 'Seq' };

/** Brands a plain number as an instant; the caller vouches that it is epoch milliseconds. */
export const epochMs = (n: number): EpochMs => n as EpochMs;
