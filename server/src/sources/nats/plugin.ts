import { existsSync } from 'node:fs';
import { Option } from 'commander';
import { z } from 'zod';
import { duration, durationText, filePath, list, resolveSecret, secret, toMs } from '../../configValues.js';
import type { ConsumerReader, ResolveContext, SourcePlugin } from '../plugin.js';
import type { StartPositions } from '../startPosition.js';
import { natsAddresses, NatsSource, type NatsSourceOptions } from './natsSource.js';
import { natsStart, type StartPosition } from './startPosition.js';

/** A start position in the config file: text, or a bare stream sequence (YAML reads `1042` as a number). */
const startText = z.union([z.number().int().positive().transform(String), natsStart.text]);
const clusterName = z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore');
const natsUrl = z
  .string()
  .regex(/^((nats|tls):\/\/)?[^\s,]+(,\s*((nats|tls):\/\/)?[^\s,]+)*$/, 'expected nats://host:4222');
const names = z.array(z.string().min(1));

/** One entry of the config file's `nats:` list. */
const natsFileSchema = z
  .object({
    cluster: clusterName.default('nats'),
    url: natsUrl,
    user: z.string().min(1).optional(),
    /** Better as `{ env: NAME }` than inline. */
    password: secret.optional(),
    token: secret.optional(),
    /** A `.creds` file (JWT and seed), relative to the config file. */
    creds: z.string().min(1).optional(),
    /** Core subjects to tap; none by default (never `>` unless written here). */
    subjects: names.default([]),
    /** JetStream streams: names, globs, /regex/; `[]` for none. */
    streams: names.default(['*']),
    from: startText.default('latest'),
    /** Per-stream start positions, e.g. `ORDERS: earliest`, `AUDIT: 1042`. */
    start: z.record(z.string().min(1), startText).optional(),
    internal: z.boolean().default(false),
    acks: z.boolean().default(false),
    /** KV buckets to show as state changes (names, globs, /regex/); none by default. */
    kv: names.optional(),
    consumers: z
      .object({
        refresh: z.union([z.literal(0), durationText]).optional(),
        services: z.record(z.string().min(1), z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
type NatsFileEntry = z.infer<typeof natsFileSchema>;

export type NatsConfig = NatsSourceOptions & { readonly kind: 'nats' };

const natsConfigSchema = z.object({
  kind: z.literal('nats'),
  cluster: clusterName,
  url: natsUrl,
  user: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
  credsFile: z.string().optional(),
  subjects: names,
  streams: names,
  from: z.custom<StartPosition>(),
  start: z.record(z.string(), z.custom<StartPosition>()).optional(),
  internal: z.boolean().optional(),
  acks: z.boolean().optional(),
  kv: names.optional(),
  consumerServices: z.record(z.string(), z.string()).optional(),
  consumerRefreshMs: z.number().int().nonnegative().optional(),
}) as unknown as z.ZodType<NatsConfig>;

function options(): Option[] {
  const env = (o: Option, name: string) => o.env(`FLOWSCOPE_NATS_${name}`);
  return [
    env(
      new Option('--nats <url>', 'NATS server to tap, e.g. nats://127.0.0.1:4222 (user:password@ or token@ in it)'),
      'URL',
    ),
    env(
      new Option(
        '--subjects <subjects>',
        'NATS core subjects to tap, comma-separated (orders.>, inventory.*); none by default, and never > unless given',
      ).argParser(list),
      'SUBJECTS',
    ),
    env(
      new Option(
        '--nats-streams <streams>',
        "JetStream streams to read, comma-separated names, globs or /regex/ ('' for none)",
      )
        .default(['*'])
        .argParser(list),
      'STREAMS',
    ),
    env(
      new Option(
        '--nats-from <position>',
        'where JetStream streams start, repeatable: latest, earliest, a duration (15m), an ISO time, or a stream sequence; STREAM=<position> for one stream',
      )
        .default({ from: { kind: 'latest' } }, 'latest')
        .argParser(natsStart.option),
      'FROM',
    ),
    env(new Option('--nats-name <name>', 'name of the NATS server in the UI').default('nats'), 'NAME'),
    env(new Option('--nats-user <user>', 'NATS user (with --nats-password)'), 'USER'),
    new Option(
      '--nats-password <password>',
      'NATS password (better through the environment: not in ps or shell history)',
    ).env('FLOWSCOPE_NATS_PASSWORD'),
    new Option('--nats-token <token>', 'NATS token (better through the environment)').env('FLOWSCOPE_NATS_TOKEN'),
    env(new Option('--nats-creds <file>', 'NATS .creds file (JWT and NKey seed)'), 'CREDS'),
    env(
      new Option(
        '--nats-internal',
        'also show internal subjects caught by --subjects ($JS.API, advisories, _INBOX, $KV, $O)',
      ),
      'INTERNAL',
    ),
    env(new Option('--nats-acks', 'show which consumer took and acknowledged each stream message ($JS.ACK.…)'), 'ACKS'),
    env(
      new Option('--nats-kv <buckets>', 'KV buckets to show as state changes, comma-separated (* for all)').argParser(
        list,
      ),
      'KV',
    ),
    env(
      new Option('--nats-consumer-refresh <interval>', 'how often JetStream consumers are read (0 turns it off)')
        .default(10_000, '10s')
        .argParser((v) => (v === '0' ? 0 : duration(v))),
      'CONSUMER_REFRESH',
    ),
  ];
}

function fromFlags(ctx: ResolveContext, errors: string[]): NatsConfig[] {
  const o = ctx.opts;
  if (!o.nats || !ctx.explicit('nats')) return [];
  const from = o.natsFrom as StartPositions<StartPosition>;
  const creds = o.natsCreds as string | undefined;
  if (creds && !existsSync(creds)) errors.push(`--nats-creds: ${creds} does not exist`);
  return [
    {
      kind: 'nats',
      cluster: o.natsName as string,
      url: o.nats as string,
      ...(o.natsUser ? { user: o.natsUser as string } : {}),
      ...(o.natsPassword ? { password: o.natsPassword as string } : {}),
      ...(o.natsToken ? { token: o.natsToken as string } : {}),
      ...(creds ? { credsFile: creds } : {}),
      subjects: (o.subjects as string[] | undefined) ?? [],
      streams: o.natsStreams as string[],
      from: from.from,
      ...(from.start ? { start: from.start } : {}),
      ...(o.natsInternal ? { internal: true } : {}),
      ...(o.natsAcks ? { acks: true } : {}),
      ...(o.natsKv ? { kv: o.natsKv as string[] } : {}),
      consumerRefreshMs: o.natsConsumerRefresh as number,
    },
  ];
}

function fromFile(n: NatsFileEntry, i: number, ctx: ResolveContext, errors: string[]): NatsConfig {
  const password = resolveSecret(n.password, ctx.env, `nats[${i}].password`);
  const token = resolveSecret(n.token, ctx.env, `nats[${i}].token`);
  for (const e of [password.error, token.error]) if (e) errors.push(e);
  const creds = n.creds ? filePath(n.creds, ctx.baseDir) : undefined;
  if (creds && !existsSync(creds)) errors.push(`nats[${i}].creds: ${creds} does not exist`);
  return {
    kind: 'nats',
    cluster: n.cluster,
    url: n.url,
    ...(n.user ? { user: n.user } : {}),
    ...(password.value ? { password: password.value } : {}),
    ...(token.value ? { token: token.value } : {}),
    ...(creds ? { credsFile: creds } : {}),
    subjects: n.subjects,
    streams: n.streams,
    from: natsStart.parse(n.from),
    ...(n.start ? { start: Object.fromEntries(Object.entries(n.start).map(([s, v]) => [s, natsStart.parse(v)])) } : {}),
    ...(n.internal ? { internal: true } : {}),
    ...(n.acks ? { acks: true } : {}),
    ...(n.kv ? { kv: n.kv } : {}),
    ...(n.consumers?.services ? { consumerServices: n.consumers.services } : {}),
    ...(n.consumers?.refresh !== undefined ? { consumerRefreshMs: toMs(n.consumers.refresh) ?? 0 } : {}),
  };
}

/**
 * NATS through nats.js: core subjects by configured patterns, JetStream streams read without
 * disturbing consumers, KV buckets as state, consumers with pending, ack-pending and redeliveries.
 */
export const natsPlugin: SourcePlugin<NatsConfig> = {
  kind: 'nats',
  file: { key: 'nats', schema: z.array(natsFileSchema) },
  options,
  resolve(ctx) {
    const errors: string[] = [];
    const entries = (ctx.file as NatsFileEntry[] | undefined) ?? [];
    const configs = [...fromFlags(ctx, errors), ...entries.map((n, i) => fromFile(n, i, ctx, errors))];
    return { configs, errors };
  },
  configSchema: natsConfigSchema,
  sourceId: (c) => `nats:${c.cluster}`,
  describe: (c) => `NATS ${c.cluster} (${natsAddresses(c.url).join(', ')})`,
  create: (c, log) => new NatsSource(c, log),
  downtimeGap(c, from, until) {
    const streamsFromLatest = c.streams.length > 0 && c.from.kind === 'latest';
    if (!streamsFromLatest && c.subjects.length === 0) return undefined;
    const what = [
      c.subjects.length > 0 ? `messages on ${c.subjects.join(', ')} (core NATS keeps nothing)` : '',
      streamsFromLatest
        ? 'messages stored in streams (reading starts at the latest; --nats-from earliest or a duration reads them)'
        : '',
    ].filter(Boolean);
    return {
      reason: 'not-running',
      from,
      until,
      detail: `Flowscope was not running from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}; ${what.join(' and ')} on ${c.cluster} in that window were not read.`,
    };
  },
  threaded: true,

  consumerReader(source, c): ConsumerReader | undefined {
    const every = c.consumerRefreshMs ?? 10_000;
    const jetStream = c.streams.length > 0 || (c.kv?.length ?? 0) > 0;
    return source instanceof NatsSource && every > 0 && jetStream ? source.consumerReader(every) : undefined;
  },
};
