import type { Option } from 'commander';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { BrokerKind, ChannelLink, Consumer, EventOrigin } from '@flowscope/shared';
import type { EventSource, SourceGap } from './contract.js';

/** What a plugin reads its configuration from. */
export type ResolveContext = {
  /** Parsed CLI flags and environment variables (commander's values, by camel-case option name). */
  readonly opts: Readonly<Record<string, unknown>>;
  /** Whether the flag was given on the command line or through its environment variable. */
  explicit(name: string): boolean;
  /** This plugin's section of the config file, as its `file.schema` parsed it; undefined when absent. */
  readonly file: unknown;
  readonly env: NodeJS.ProcessEnv;
  /** The config file's folder, for relative paths in it. */
  readonly baseDir: string;
};

/** A source's configuration after flags, environment and file were merged (each plugin has its own shape). */
export type SourceConfig = { readonly kind: BrokerKind } & Readonly<Record<string, unknown>>;

/** One reading of a broker that also knows how it routes between channels (RabbitMQ bindings, dead letters). */
export type ConsumerReading = { readonly consumers: Consumer[]; readonly links: ChannelLink[] };

/**
 * Reads a broker's own consumers (groups, queues, durables) on the registry's timer; a broker
 * that routes between channels by itself returns the routes of the same reading beside them.
 */
export interface ConsumerReader {
  /** How often to read, in ms; 0 turns reading off. */
  readonly everyMs: number;
  read(now: number): Promise<Consumer[] | ConsumerReading>;
}

/**
 * Everything Flowscope needs to know about one kind of source, in its own folder. The core loops
 * over the list in `plugins.ts`: config, config file, `--help`, the start banner, downtime gaps and
 * consumer reading all come from here, so adding a broker touches its folder and one line there.
 * Methods (not arrow properties) so that a plugin of a specific config type fits the list.
 */
export interface SourcePlugin<C extends SourceConfig = SourceConfig> {
  readonly kind: BrokerKind;
  /** Its section of the config file (e.g. `kafka:`), validated by `schema`. */
  readonly file?: { readonly key: string; readonly schema: z.ZodType };
  /** Its CLI flags; environment variables are attached to them with `Option.env`. */
  options(): Option[];
  /**
   * Its configurations from flags, environment and the file section. Errors name the flag or the
   * file field to fix. `others` is how many sources other plugins configured (the demo runs alone by default).
   */
  resolve(ctx: ResolveContext, others: number): { configs: C[]; errors: string[] };
  /** Validates a resolved configuration (the last check before start). */
  readonly configSchema: z.ZodType<C>;
  /** Source id of a configuration, e.g. `kafka:prod`: unique, used in event ids' origin and gaps. */
  sourceId(config: C): string;
  /** For the start banner: "Kafka prod (broker-1:9092)". No credentials. */
  describe(config: C): string;
  create(config: C, log: Logger): EventSource;
  /**
   * Whether the source may run on a thread of its own (its client and normalize off the main
   * thread; see sourceThread.ts). Its configuration must then be plain data, and its consumer
   * reader is served on that thread.
   */
  readonly threaded?: boolean;
  /**
   * The gap this source has for a window in which Flowscope was not running (undefined when it
   * reads that window after a restart, e.g. from `earliest`).
   */
  downtimeGap?(config: C, from: number, until: number): SourceGap | undefined;
  /**
   * The config that goes on where the last run's stored events end, given what is stored of an
   * origin (each channel's partitions' next offsets); undefined when nothing of it is stored.
   */
  resume?(config: C, stored: (origin: EventOrigin) => ReadonlyMap<string, ReadonlyMap<number, string>>): C | undefined;
  /** The broker's consumer reader for a created source, if the broker has consumers to show. */
  consumerReader?(source: EventSource, config: C): ConsumerReader | undefined;
}
