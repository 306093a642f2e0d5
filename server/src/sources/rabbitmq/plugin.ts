import { Option } from 'commander';
import { z } from 'zod';
import { list, resolveSecret, secret } from '../../configValues.js';
import type { ResolveContext, SourcePlugin } from '../plugin.js';
import type { StartPositions } from '../startPosition.js';
import { parseAmqpUrl, RabbitSource, type RabbitSourceOptions } from './rabbitmqSource.js';
import { rabbitStart, type StreamStart } from './streamPosition.js';

const clusterName = z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore');
const amqpUrl = z.string().regex(/^amqps?:\/\/[^\s]+$/, 'expected amqp://host:5672 or amqps://…');
const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'expected http://host:15672');

/** One entry of the config file's `rabbitmq:` list. */
const rabbitFileSchema = z
  .object({
    cluster: clusterName,
    /** amqp://user@host:5672/vhost; the password goes in `password`. */
    url: amqpUrl,
    password: secret.optional(),
    exchanges: z.array(z.string().min(1)).min(1).default(['/.*/']),
    /** Bind `#` (topic) and empty arguments (headers, fanout) instead of mirroring applications' bindings. */
    wildcard: z.boolean().default(false),
    /** Also see publishes to the default exchange and deliveries to consumers through the firehose (an admin runs rabbitmqctl trace_on). */
    firehose: z.boolean().default(false),
    /** Streams (x-queue-type: stream) to read by offset, names or /regex/; none by default. */
    streams: z.array(z.string().min(1)).optional(),
    /** Where streams start: latest, earliest, a duration (15m), an ISO time, or an offset. */
    from: rabbitStart.text.default('latest'),
    /** Per-stream start positions, e.g. `orders: earliest`, `audit: 1200`. */
    start: z.record(z.string().min(1), z.union([rabbitStart.text, z.number().int().nonnegative()])).optional(),
    management: z
      .object({
        url: httpUrl.optional(),
        username: z.string().min(1).optional(),
        password: secret.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
type RabbitFileEntry = z.infer<typeof rabbitFileSchema>;

export type RabbitConfig = RabbitSourceOptions & { readonly kind: 'rabbitmq' };

const rabbitConfigSchema = z.object({
  kind: z.literal('rabbitmq'),
  cluster: clusterName,
  url: amqpUrl,
  management: z.object({ url: httpUrl, username: z.string(), password: z.string() }).optional(),
  exchanges: z.array(z.string().min(1)).min(1),
  wildcard: z.boolean(),
  firehose: z.boolean().optional(),
  streams: z.array(z.string().min(1)).optional(),
  from: z.custom<StreamStart>().optional(),
  start: z.record(z.string(), z.custom<StreamStart>()).optional(),
}) as unknown as z.ZodType<RabbitConfig>;

function options(): Option[] {
  return [
    new Option('--rabbitmq <url>', 'RabbitMQ to tap, amqp://user:password@host:5672/vhost').env(
      'FLOWSCOPE_RABBITMQ_URL',
    ),
    new Option(
      '--rabbitmq-management <url>',
      'RabbitMQ management API (default: http://<amqp host>:15672 with the same credentials); user:password@ in the URL if they differ',
    ).env('FLOWSCOPE_RABBITMQ_MANAGEMENT_URL'),
    new Option('--exchanges <names>', 'RabbitMQ exchanges to tap, comma-separated; /regex/ for patterns')
      .env('FLOWSCOPE_RABBITMQ_EXCHANGES')
      .default(['/.*/'])
      .argParser(list),
    new Option(
      '--rabbitmq-wildcard',
      "bind RabbitMQ exchanges with # / empty headers instead of copying applications' bindings: sees every message, but unroutable messages then no longer reach the alternate exchange and mandatory publishes no longer come back (basic.return)",
    ).env('FLOWSCOPE_RABBITMQ_WILDCARD'),
    new Option(
      '--rabbitmq-firehose',
      'also see publishes straight to a queue (the default exchange) and deliveries to each consumer through the firehose; an admin must run rabbitmqctl trace_on, which costs the broker throughput',
    ).env('FLOWSCOPE_RABBITMQ_FIREHOSE'),
    new Option(
      '--rabbitmq-streams <names>',
      'RabbitMQ streams (x-queue-type: stream) to read by offset, comma-separated; /regex/ for patterns (reading a stream takes nothing from applications)',
    )
      .env('FLOWSCOPE_RABBITMQ_STREAMS')
      .argParser(list),
    new Option(
      '--rabbitmq-from <position>',
      'where RabbitMQ streams start, repeatable: latest, earliest, a duration (15m), an ISO time, or an offset (1200); stream=<position> for one stream',
    )
      .env('FLOWSCOPE_RABBITMQ_FROM')
      .default({ from: { kind: 'latest' } }, 'latest')
      .argParser(rabbitStart.option),
    new Option('--rabbitmq-name <cluster>', 'name of the RabbitMQ cluster in the UI').default('rabbit'),
  ];
}

/** The management API's address and login: given, or the AMQP host on 15672 with the AMQP credentials. */
function managementOf(amqp: string, given: string | undefined, user?: string, password?: string) {
  const a = parseAmqpUrl(amqp);
  const u = new URL(given ?? `http://${new URL(amqp).hostname}:15672`);
  const username = decodeURIComponent(u.username) || user || a.username;
  const pass = decodeURIComponent(u.password) || password || a.password;
  u.username = '';
  u.password = '';
  return { url: u.origin, username, password: pass };
}

function fromFlags(ctx: ResolveContext): RabbitConfig | undefined {
  const o = ctx.opts;
  if (!o.rabbitmq) return undefined;
  const from = o.rabbitmqFrom as StartPositions<StreamStart>;
  return {
    kind: 'rabbitmq',
    cluster: o.rabbitmqName as string,
    url: o.rabbitmq as string,
    management: managementOf(o.rabbitmq as string, o.rabbitmqManagement as string | undefined),
    exchanges: o.exchanges as string[],
    wildcard: Boolean(o.rabbitmqWildcard),
    firehose: Boolean(o.rabbitmqFirehose),
    ...(o.rabbitmqStreams ? { streams: o.rabbitmqStreams as string[] } : {}),
    from: from.from,
    ...(from.start ? { start: from.start } : {}),
  };
}

function fromFile(r: RabbitFileEntry, i: number, ctx: ResolveContext, errors: string[]): RabbitConfig {
  const field = (name: string) => `rabbitmq[${i}].${name}`;
  const password = resolveSecret(r.password, ctx.env, field('password'));
  const mgmtPassword = resolveSecret(r.management?.password, ctx.env, field('management.password'));
  for (const e of [password.error, mgmtPassword.error]) if (e) errors.push(e);
  const url = new URL(r.url);
  if (password.value) url.password = encodeURIComponent(password.value);
  return {
    kind: 'rabbitmq',
    cluster: r.cluster,
    url: url.toString(),
    management: managementOf(url.toString(), r.management?.url, r.management?.username, mgmtPassword.value),
    exchanges: ctx.explicit('exchanges') ? (ctx.opts.exchanges as string[]) : r.exchanges,
    wildcard: r.wildcard || Boolean(ctx.opts.rabbitmqWildcard),
    firehose: r.firehose || Boolean(ctx.opts.rabbitmqFirehose),
    ...streamsOf(r, ctx),
  };
}

/** A file entry's streams (--rabbitmq-streams wins when given, as --exchanges does) and start positions. */
function streamsOf(r: RabbitFileEntry, ctx: ResolveContext): Pick<RabbitConfig, 'streams' | 'from' | 'start'> {
  const streams = ctx.explicit('rabbitmqStreams') ? (ctx.opts.rabbitmqStreams as string[]) : r.streams;
  return {
    ...(streams ? { streams } : {}),
    from: rabbitStart.parse(r.from),
    ...(r.start
      ? { start: Object.fromEntries(Object.entries(r.start).map(([s, v]) => [s, rabbitStart.parse(String(v))])) }
      : {}),
  };
}

/** RabbitMQ through amqplib: one exclusive tap queue, bindings mirrored from applications', streams read by offset. */
export const rabbitmqPlugin: SourcePlugin<RabbitConfig> = {
  kind: 'rabbitmq',
  file: { key: 'rabbitmq', schema: z.array(rabbitFileSchema) },
  options,
  resolve(ctx) {
    const errors: string[] = [];
    const configs: RabbitConfig[] = [];
    try {
      const flags = fromFlags(ctx);
      if (flags) configs.push(flags);
    } catch (err) {
      errors.push(`--rabbitmq: ${(err as Error).message.replace(/\/\/[^@\s]*@/g, '//')}`);
    }
    const entries = (ctx.file as RabbitFileEntry[] | undefined) ?? [];
    for (const [i, r] of entries.entries()) configs.push(fromFile(r, i, ctx, errors));
    return { configs, errors };
  },
  configSchema: rabbitConfigSchema,
  sourceId: (c) => `rabbitmq:${c.cluster}`,
  describe: (c) => `RabbitMQ ${c.cluster} (${parseAmqpUrl(c.url).where}${c.wildcard ? ', wildcard' : ''})`,
  create: (c, log) => new RabbitSource(c, log),
  downtimeGap: (c, from, until) => ({
    reason: 'not-running',
    from,
    until,
    detail: `Flowscope was not running from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; messages published on RabbitMQ ${c.cluster} in that window were not copied (AMQP keeps no history to read back).`,
  }),
  consumerReader: (source) => (source instanceof RabbitSource ? source.consumerReader(10_000) : undefined),
};
