import { Option } from 'commander';
import { z } from 'zod';
import { duration, durationText, list, resolveSecret, secret, toMs } from '../../configValues.js';
import type { ConsumerReader, ResolveContext, SourcePlugin } from '../plugin.js';
import { redisAddress, RedisSource, type RedisSourceOptions } from './redisSource.js';
import type { StartPositions } from '../startPosition.js';
import { redisStart, type StartPosition } from './startPosition.js';

const startText = redisStart.text;
const clusterName = z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore');
const redisUrl = z.string().regex(/^rediss?:\/\/[^\s]+$/, 'expected redis://host:port');

/** One entry of the config file's `redis:` list. */
const redisFileSchema = z
  .object({
    cluster: clusterName.default('redis'),
    url: redisUrl,
    /** Better as `{ env: NAME }` than inline. */
    password: secret.optional(),
    streams: z.array(z.string().min(1)).min(1).default(['*']),
    from: startText.default('latest'),
    /** Per-stream start positions, e.g. `orders: earliest`, `payments: 15m`. */
    start: z.record(z.string().min(1), startText).optional(),
    /** Fields holding the payload, the first present wins. */
    payloadFields: z.array(z.string().min(1)).min(1).optional(),
    /** Pub/Sub channel patterns (globs) to tap too, opt-in: PSUBSCRIBE on a connection of its own. */
    pubsub: z.array(z.string().min(1)).optional(),
    consumerGroups: z
      .object({
        refresh: z.union([z.literal(0), durationText]).optional(),
        services: z.record(z.string().min(1), z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
type RedisFileEntry = z.infer<typeof redisFileSchema>;

export type RedisConfig = RedisSourceOptions & { readonly kind: 'redis' };

const redisConfigSchema = z.object({
  kind: z.literal('redis'),
  cluster: clusterName,
  url: redisUrl,
  password: z.string().optional(),
  streams: z.array(z.string().min(1)).min(1),
  from: z.custom<StartPosition>(),
  start: z.record(z.string(), z.custom<StartPosition>()).optional(),
  payloadFields: z.array(z.string().min(1)).optional(),
  pubsub: z.array(z.string().min(1)).optional(),
  groupServices: z.record(z.string(), z.string()).optional(),
  groupRefreshMs: z.number().int().nonnegative().optional(),
}) as unknown as z.ZodType<RedisConfig>;

function options(): Option[] {
  return [
    new Option('--redis <url>', 'Redis server to tail streams from, e.g. redis://127.0.0.1:6379').env(
      'FLOWSCOPE_REDIS_URL',
    ),
    new Option('--streams <streams>', 'Redis stream keys, comma-separated; globs (orders:*) or /regex/')
      .env('FLOWSCOPE_REDIS_STREAMS')
      .default(['*'])
      .argParser(list),
    new Option(
      '--redis-from <position>',
      'where Redis streams start, repeatable: latest, earliest, a duration (15m), an ISO time, or an entry id (reading starts after it); stream=<position> for one stream',
    )
      .env('FLOWSCOPE_REDIS_FROM')
      .default({ from: { kind: 'latest' } }, 'latest')
      .argParser(redisStart.option),
    new Option('--redis-name <name>', 'name of the Redis server in the UI')
      .env('FLOWSCOPE_REDIS_NAME')
      .default('redis'),
    new Option(
      '--redis-pubsub <patterns>',
      'also tap Redis Pub/Sub channels matching these patterns (comma-separated globs, e.g. notify.*); off by default',
    )
      .env('FLOWSCOPE_REDIS_PUBSUB')
      .argParser(list),
    new Option('--redis-group-refresh <interval>', 'how often Redis consumer groups are read (0 turns it off)')
      .env('FLOWSCOPE_REDIS_GROUP_REFRESH')
      .default(10_000, '10s')
      .argParser((v) => (v === '0' ? 0 : duration(v))),
  ];
}

function fromFile(r: RedisFileEntry, i: number, ctx: ResolveContext, errors: string[]): RedisConfig {
  const password = resolveSecret(r.password, ctx.env, `redis[${i}].password`);
  if (password.error) errors.push(password.error);
  return {
    kind: 'redis',
    cluster: r.cluster,
    url: r.url,
    ...(password.value ? { password: password.value } : {}),
    streams: r.streams,
    from: redisStart.parse(r.from),
    ...(r.start
      ? { start: Object.fromEntries(Object.entries(r.start).map(([s, v]) => [s, redisStart.parse(v)])) }
      : {}),
    ...(r.payloadFields ? { payloadFields: r.payloadFields } : {}),
    ...(r.pubsub ? { pubsub: r.pubsub } : {}),
    ...(r.consumerGroups?.services ? { groupServices: r.consumerGroups.services } : {}),
    ...(r.consumerGroups?.refresh !== undefined ? { groupRefreshMs: toMs(r.consumerGroups.refresh) ?? 0 } : {}),
  };
}

/** Redis Streams through node-redis: XREAD only (no groups, no acks), consumer groups with pending and lag. */
export const redisPlugin: SourcePlugin<RedisConfig> = {
  kind: 'redis',
  file: { key: 'redis', schema: z.array(redisFileSchema) },
  options,
  resolve(ctx) {
    const errors: string[] = [];
    const o = ctx.opts;
    const from = o.redisFrom as StartPositions<StartPosition>;
    const flags: RedisConfig[] =
      o.redis && ctx.explicit('redis')
        ? [
            {
              kind: 'redis',
              cluster: o.redisName as string,
              url: o.redis as string,
              streams: o.streams as string[],
              from: from.from,
              ...(from.start ? { start: from.start } : {}),
              groupRefreshMs: o.redisGroupRefresh as number,
              ...(o.redisPubsub ? { pubsub: o.redisPubsub as string[] } : {}),
            },
          ]
        : [];
    const entries = (ctx.file as RedisFileEntry[] | undefined) ?? [];
    return { configs: [...flags, ...entries.map((r, i) => fromFile(r, i, ctx, errors))], errors };
  },
  configSchema: redisConfigSchema,
  sourceId: (c) => `redis:${c.cluster}`,
  describe: (c) => `Redis ${c.cluster} (${redisAddress(c.url)})`,
  create: (c, log) => new RedisSource(c, log),
  downtimeGap(c, from, until) {
    if (c.from.kind !== 'latest') return undefined;
    return {
      reason: 'not-running',
      from,
      until,
      detail: `Flowscope was not running from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; entries added to streams on ${c.cluster} in that window were not read, because reading starts at the latest entry. Start with --redis-from earliest (or a duration) to read them.`,
    };
  },
  threaded: true,

  consumerReader(source, c): ConsumerReader | undefined {
    const every = c.groupRefreshMs ?? 10_000;
    return source instanceof RedisSource && every > 0 ? source.consumerReader(every) : undefined;
  },
};
