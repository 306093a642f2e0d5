import { Option } from 'commander';
import { z } from 'zod';
import { duration, durationText, list, resolveSecret, secret, toMs } from '../../configValues.js';
import type { ConsumerReader, ResolveContext, SourcePlugin } from '../plugin.js';
import { AwsSource, type AwsSourceOptions } from './awsSource.js';

const clusterName = z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore');
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region, e.g. eu-west-1');
const url = z.string().url();

/** One entry of the config file's `aws:` list: one account and region. */
const awsFileSchema = z
  .object({
    name: clusterName.default('aws'),
    region,
    /** A profile of ~/.aws; without it (and without keys) the standard chain: environment, profile, role. */
    profile: z.string().min(1).optional(),
    /** Static keys, better as `{ env: NAME }`; the standard chain is better still. */
    accessKeyId: secret.optional(),
    secretAccessKey: secret.optional(),
    sessionToken: secret.optional(),
    /** An emulator's endpoint for every service, or one per service. */
    endpoint: url.optional(),
    endpoints: z
      .object({ sqs: url.optional(), sns: url.optional(), events: url.optional(), cloudwatch: url.optional() })
      .strict()
      .optional(),
    queues: z.array(z.string().min(1)).default(['*']),
    topics: z.array(z.string().min(1)).default([]),
    buses: z.array(z.string().min(1)).default([]),
    /** false: the map only, nothing created. */
    tap: z.boolean().default(true),
    services: z.record(z.string().min(1), z.string().min(1)).optional(),
    refresh: z.union([z.literal(0), durationText]).optional(),
  })
  .strict();
type AwsFileEntry = z.infer<typeof awsFileSchema>;

export type AwsConfig = AwsSourceOptions & { readonly kind: 'sqs' };

const awsConfigSchema = z
  .object({
    kind: z.literal('sqs'),
    cluster: clusterName,
    region,
    profile: z.string().optional(),
    accessKeyId: z.string().optional(),
    secretAccessKey: z.string().optional(),
    sessionToken: z.string().optional(),
    endpoint: url.optional(),
    endpoints: z
      .object({ sqs: url.optional(), sns: url.optional(), events: url.optional(), cloudwatch: url.optional() })
      .optional(),
    queues: z.array(z.string().min(1)),
    topics: z.array(z.string().min(1)),
    buses: z.array(z.string().min(1)),
    tap: z.boolean().optional(),
    services: z.record(z.string(), z.string()).optional(),
    refreshMs: z.number().int().nonnegative().optional(),
    waitSeconds: z.number().int().min(0).max(20).optional(),
    heartbeatMs: z.number().int().positive().optional(),
    leftoverAfterMs: z.number().int().nonnegative().optional(),
  })
  .refine((c) => Boolean(c.accessKeyId) === Boolean(c.secretAccessKey), {
    message: 'accessKeyId and secretAccessKey go together',
  }) as unknown as z.ZodType<AwsConfig>;

function options(): Option[] {
  return [
    new Option(
      '--aws-region <region>',
      'AWS region to watch (SQS queues, SNS topics, EventBridge buses); credentials come from the standard AWS chain',
    ).env('FLOWSCOPE_AWS_REGION'),
    new Option('--aws-name <name>', 'name of the AWS account and region in the UI')
      .env('FLOWSCOPE_AWS_NAME')
      .default('aws'),
    new Option('--aws-profile <profile>', 'profile of ~/.aws to use (default: the standard chain)').env(
      'FLOWSCOPE_AWS_PROFILE',
    ),
    new Option('--aws-endpoint <url>', 'endpoint override for a local emulator (ElasticMQ, fauxqs)').env(
      'FLOWSCOPE_AWS_ENDPOINT',
    ),
    new Option(
      '--aws-queues <queues>',
      'SQS queues drawn with their depths, comma-separated globs; never received from',
    )
      .env('FLOWSCOPE_AWS_QUEUES')
      .default(['*'])
      .argParser(list),
    new Option(
      '--aws-topics <topics>',
      "SNS topics to tap through Flowscope's own subscribed queue (names, globs or ARNs)",
    )
      .env('FLOWSCOPE_AWS_TOPICS')
      .argParser(list),
    new Option('--aws-buses <buses>', "EventBridge buses to tap through Flowscope's own rule and queue")
      .env('FLOWSCOPE_AWS_BUSES')
      .argParser(list),
    new Option('--aws-refresh <interval>', 'how often queues, subscriptions and rules are read (0 turns it off)')
      .env('FLOWSCOPE_AWS_REFRESH')
      .default(10_000, '10s')
      .argParser((v) => (v === '0' ? 0 : duration(v))),
  ];
}

function fromFile(r: AwsFileEntry, i: number, ctx: ResolveContext, errors: string[]): AwsConfig {
  const keys: Record<string, string> = {};
  for (const field of ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const) {
    const v = resolveSecret(r[field], ctx.env, `aws[${i}].${field}`);
    if (v.error) errors.push(v.error);
    if (v.value) keys[field] = v.value;
  }
  if (Boolean(keys.accessKeyId) !== Boolean(keys.secretAccessKey))
    errors.push(`aws[${i}]: accessKeyId and secretAccessKey go together`);
  return {
    kind: 'sqs',
    cluster: r.name,
    region: r.region,
    ...(r.profile ? { profile: r.profile } : {}),
    ...keys,
    ...(r.endpoint ? { endpoint: r.endpoint } : {}),
    ...(r.endpoints ? { endpoints: r.endpoints } : {}),
    queues: r.queues,
    topics: r.topics,
    buses: r.buses,
    tap: r.tap,
    ...(r.services ? { services: r.services } : {}),
    ...(r.refresh !== undefined ? { refreshMs: toMs(r.refresh) ?? 0 } : {}),
  };
}

/** AWS SQS, SNS and EventBridge of one account and region: depths and routes read, topics and buses tapped through Flowscope's own queue. */
export const awsPlugin: SourcePlugin<AwsConfig> = {
  kind: 'sqs',
  file: { key: 'aws', schema: z.array(awsFileSchema) },
  options,
  resolve(ctx) {
    const errors: string[] = [];
    const o = ctx.opts;
    const flags: AwsConfig[] =
      o.awsRegion && ctx.explicit('awsRegion')
        ? [
            {
              kind: 'sqs',
              cluster: o.awsName as string,
              region: o.awsRegion as string,
              ...(o.awsProfile ? { profile: o.awsProfile as string } : {}),
              ...(o.awsEndpoint ? { endpoint: o.awsEndpoint as string } : {}),
              queues: o.awsQueues as string[],
              topics: (o.awsTopics as string[] | undefined) ?? [],
              buses: (o.awsBuses as string[] | undefined) ?? [],
              refreshMs: o.awsRefresh as number,
            },
          ]
        : [];
    const entries = (ctx.file as AwsFileEntry[] | undefined) ?? [];
    return { configs: [...flags, ...entries.map((r, i) => fromFile(r, i, ctx, errors))], errors };
  },
  configSchema: awsConfigSchema,
  sourceId: (c) => `sqs:${c.cluster}`,
  describe: (c) => `AWS ${c.cluster} (${c.region}${c.endpoint ? `, ${new URL(c.endpoint).host}` : ''})`,
  create: (c, log) => new AwsSource(c, log),
  downtimeGap(c, from, until) {
    if (c.tap === false || (c.topics.length === 0 && c.buses.length === 0)) return undefined;
    return {
      reason: 'not-running',
      from,
      until,
      detail: `Flowscope was not running from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; SNS and EventBridge deliveries of ${c.cluster} in that window reached no tap queue of Flowscope's and cannot be read afterwards.`,
    };
  },
  consumerReader(source, c): ConsumerReader | undefined {
    const every = c.refreshMs ?? 10_000;
    return source instanceof AwsSource && every > 0 ? source.consumerReader(every) : undefined;
  },
};
