import { InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { duration, list, pemOrFile, resolveSecret, secret, durationText, toMs } from '../../configValues.js';
import type { ConsumerReader, ResolveContext, SourcePlugin } from '../plugin.js';
import { KafkaSource, type KafkaSourceOptions } from './kafkaSource.js';
import type { StartPositions } from '../startPosition.js';
import { kafkaStart, type StartPosition } from './startPosition.js';

/** latest, earliest, 15m, an ISO time, or partition:offset pairs; or a map of partition → offset. */
const startText = kafkaStart.text;
const startPosition = z.union([
  startText,
  z.record(
    z.string().regex(/^\d+$/, 'partition numbers'),
    z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
  ),
]);
const clusterName = z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore');
const brokerList = z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1);

/** One entry of the config file's `kafka:` list. */
const kafkaFileSchema = z
  .object({
    cluster: clusterName,
    brokers: brokerList,
    topics: z.array(z.string().min(1)).min(1).default(['/.*/']),
    from: startText.default('latest'),
    /** Per-topic start positions, e.g. `orders: earliest`, `payments: 15m`, `shipments: { 0: 1200 }`. */
    start: z.record(z.string().min(1), startPosition).optional(),
    /** A fixed consumer group id; refused when such a group already exists. Default: random flowscope-tap-…. */
    groupId: z.string().min(1).optional(),
    /** Application consumer groups, read through the admin API and drawn on the map with their lag. */
    consumerGroups: z
      .object({
        /** How often groups and lag are read; 0 turns it off. */
        refresh: z.union([z.literal(0), durationText]).optional(),
        /** Group id → the service it is drawn as (default: the group id). */
        services: z.record(z.string().min(1), z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    ssl: z
      .union([
        z.boolean(),
        z
          .object({
            ca: z.string().optional(),
            cert: z.string().optional(),
            key: secret.optional(),
            rejectUnauthorized: z.boolean().optional(),
          })
          .strict(),
      ])
      .optional(),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string().min(1),
        password: secret,
      })
      .strict()
      .optional(),
  })
  .strict();
type KafkaFileEntry = z.infer<typeof kafkaFileSchema>;

export type KafkaConfig = KafkaSourceOptions & { readonly kind: 'kafka' };

const kafkaConfigSchema = z.object({
  kind: z.literal('kafka'),
  cluster: clusterName,
  brokers: brokerList,
  topics: z.array(z.string().min(1)).min(1),
  from: z.custom<StartPosition>(),
  start: z.record(z.string(), z.custom<StartPosition>()).optional(),
  groupId: z.string().min(1).optional(),
  groupServices: z.record(z.string(), z.string()).optional(),
  groupRefreshMs: z.number().int().nonnegative().optional(),
  ssl: z.custom<KafkaSourceOptions['ssl']>().optional(),
  sasl: z.custom<KafkaSourceOptions['sasl']>().optional(),
}) as unknown as z.ZodType<KafkaConfig>;

function groupService(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([^=]+)=(.+)$/.exec(value.trim());
  if (!m?.[1] || !m[2]) throw new InvalidArgumentError(`"${value}" is not group=service, e.g. billing-app=billing`);
  return { ...previous, [m[1].trim()]: m[2].trim() };
}

/** A file's start position: text, or a map of partition → offset. */
function fileStart(v: string | Record<string, string | number>): StartPosition {
  if (typeof v === 'string') return kafkaStart.parse(v);
  return { kind: 'offsets', offsets: Object.fromEntries(Object.entries(v).map(([p, o]) => [Number(p), String(o)])) };
}

function options(): Option[] {
  return [
    new Option('--kafka <brokers>', 'Kafka bootstrap brokers, comma-separated host:port')
      .env('FLOWSCOPE_KAFKA_BROKERS')
      .argParser(list),
    new Option('--topics <topics>', 'Kafka topics, comma-separated; /regex/ for patterns')
      .env('FLOWSCOPE_KAFKA_TOPICS')
      .default(['/.*/'])
      .argParser(list),
    new Option(
      '--from <position>',
      'where Kafka topics start, repeatable: latest, earliest, a duration (15m: the last 15 minutes), an ISO time, or partition:offset pairs (0:1200,1:980); topic=<position> for one topic',
    )
      .default({ from: { kind: 'latest' } }, 'latest')
      .argParser(kafkaStart.option),
    new Option(
      '--group-id <id>',
      'fixed Kafka consumer group id (refused if it exists; default: random flowscope-tap-…)',
    ),
    new Option(
      '--group-service <group=service>',
      'draw a Kafka consumer group as this service on the map, repeatable (default: the group id)',
    )
      .default({})
      .argParser(groupService),
    new Option('--group-refresh <interval>', 'how often Kafka consumer groups and lag are read (0 turns it off)')
      .default(10_000, '10s')
      .argParser((v) => (v === '0' ? 0 : duration(v))),
    new Option('--cluster <name>', 'name of the Kafka cluster in the UI').default('local'),
  ];
}

function fromFlags(ctx: ResolveContext): KafkaConfig | undefined {
  const o = ctx.opts;
  if (!o.kafka || !ctx.explicit('kafka')) return undefined;
  const from = o.from as StartPositions<StartPosition>;
  return {
    kind: 'kafka',
    cluster: o.cluster as string,
    brokers: o.kafka as string[],
    topics: o.topics as string[],
    from: from.from,
    ...(from.start ? { start: from.start } : {}),
    ...(o.groupId ? { groupId: o.groupId as string } : {}),
    groupServices: o.groupService as Record<string, string>,
    groupRefreshMs: o.groupRefresh as number,
  };
}

function fromFile(k: KafkaFileEntry, i: number, ctx: ResolveContext, errors: string[]): KafkaConfig {
  const field = (name: string) => `kafka[${i}].${name}`;
  const password = resolveSecret(k.sasl?.password, ctx.env, field('sasl.password'));
  const tlsKey = typeof k.ssl === 'object' ? resolveSecret(k.ssl.key, ctx.env, field('ssl.key')) : {};
  for (const e of [password.error, tlsKey.error]) if (e) errors.push(e);
  const pem = (value: string | undefined, name: string) => {
    const read = value === undefined ? {} : pemOrFile(value, ctx.baseDir, field(`ssl.${name}`));
    if (read.error) errors.push(read.error);
    return read.value !== undefined ? { [name]: read.value } : {};
  };
  const ssl =
    typeof k.ssl === 'object'
      ? {
          ...(k.ssl.rejectUnauthorized !== undefined ? { rejectUnauthorized: k.ssl.rejectUnauthorized } : {}),
          ...pem(k.ssl.ca, 'ca'),
          ...pem(k.ssl.cert, 'cert'),
          ...pem(tlsKey.value, 'key'),
        }
      : k.ssl;
  const o = ctx.opts;
  return {
    kind: 'kafka',
    cluster: k.cluster,
    brokers: k.brokers,
    topics: k.topics,
    from: kafkaStart.parse(k.from),
    ...(k.start
      ? { start: Object.fromEntries(Object.entries(k.start).map(([topic, v]) => [topic, fileStart(v)])) }
      : {}),
    ...(k.groupId ? { groupId: k.groupId } : {}),
    groupServices: { ...k.consumerGroups?.services, ...(o.groupService as Record<string, string>) },
    groupRefreshMs: ctx.explicit('groupRefresh')
      ? (o.groupRefresh as number)
      : k.consumerGroups?.refresh !== undefined
        ? (toMs(k.consumerGroups.refresh) ?? 0)
        : (o.groupRefresh as number),
    ...(ssl !== undefined ? { ssl } : {}),
    ...(k.sasl
      ? { sasl: { mechanism: k.sasl.mechanism, username: k.sasl.username, password: password.value ?? '' } }
      : {}),
  } as KafkaConfig;
}

/** Kafka through kafkajs: read-only tap with its own never-committed group; consumer groups with lag. */
export const kafkaPlugin: SourcePlugin<KafkaConfig> = {
  kind: 'kafka',
  file: { key: 'kafka', schema: z.array(kafkaFileSchema) },
  options,
  resolve(ctx) {
    const errors: string[] = [];
    const flags = fromFlags(ctx);
    const entries = (ctx.file as KafkaFileEntry[] | undefined) ?? [];
    const configs = [...(flags ? [flags] : []), ...entries.map((k, i) => fromFile(k, i, ctx, errors))];
    return { configs, errors };
  },
  configSchema: kafkaConfigSchema,
  sourceId: (c) => `kafka:${c.cluster}`,
  describe: (c) => `Kafka ${c.cluster} (${c.brokers.join(',')})`,
  create: (c, log) => new KafkaSource(c, log),
  resume(c, stored) {
    const found = stored({ broker: 'kafka', cluster: c.cluster });
    if (found.size === 0) return undefined;
    const resume = Object.fromEntries([...found].map(([topic, next]) => [topic, Object.fromEntries(next)]));
    return { ...c, resume };
  },
  downtimeGap(c, from, until) {
    if (c.from.kind !== 'latest' || c.resume) return undefined;
    return {
      reason: 'not-running',
      from,
      until,
      detail: `Flowscope was not running from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; messages produced on ${c.cluster} in that window were not read, because reading starts at the latest offset. Start with --from earliest to read them.`,
    };
  },
  threaded: true,

  consumerReader(source, c): ConsumerReader | undefined {
    const every = c.groupRefreshMs ?? 10_000;
    return source instanceof KafkaSource && every > 0 ? source.consumerReader(every) : undefined;
  },
};
