import type { Gap, StoreStatus } from '@flowscope/shared';
import type { Breakpoints } from '../debug/breakpoints.js';
import type { Annotations } from '../ingest/annotations.js';
import type { Queries } from '../ingest/queries.js';
import type { SecurityOptions } from '../security.js';
import type { SourceRegistry } from '../sourceRegistry.js';

/** What the HTTP routes read from: the query side, the sources, security, gaps and notes. */
export type AppOptions = {
  readonly queries: Queries;
  readonly sources: SourceRegistry;
  readonly security: SecurityOptions;
  readonly version: string;
  readonly webDir?: string;
  /** Persisted gaps, newest first. */
  readonly gaps?: (limit: number) => Gap[];
  readonly annotations: Annotations;
  readonly breakpoints: Breakpoints;
  /** Whether history is being written, for health (undefined: not reported). */
  readonly store?: () => StoreStatus;
  /** `{traceId}` URL template of the user's tracing UI, if configured. */
  readonly traceUrl?: string;
};
