import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { correlationRuleSchema, defaultCorrelationRules, type CorrelationRule } from '@flowscope/shared';
import { z } from 'zod';
import { loadConfigFile, type FileConfig } from './configFile.js';
import {
  byteSize,
  duration,
  expandHome,
  filePath,
  int,
  list,
  pointer,
  resolveSecret,
  toBytes,
  toMs,
} from './configValues.js';
import { decodingConfigSchema, type DecodingConfig } from './ingest/decoding/stage.js';
import { loadFile } from './ingest/decoding/schemas.js';
import { maskRuleSchema, type MaskRule } from './ingest/mask.js';
import type { ResolveContext, SourceConfig } from './sources/plugin.js';
import { pluginOf, sourcePlugins } from './sources/plugins.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const configSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    token: z.string().min(16, 'the token must be at least 16 characters'),
    tokenFromUser: z.boolean(),
    /** Every source to start, each checked by its plugin's schema below. */
    sources: z.array(z.custom<SourceConfig>()),
    /** Schema decoding for any source's channels. */
    decoding: decodingConfigSchema,
    bufferSize: z.number().int().min(100).max(5_000_000),
    /** Sources whose plugin allows it read and decode on a thread of their own (`--no-source-threads`). */
    sourceThreads: z.boolean(),
    /** What events held in memory may take (`--memory`), in bytes. */
    memoryBytes: z
      .number()
      .int()
      .min(16 * 1024 * 1024, 'must be at least 16MB'),
    maxPayloadBytes: z.number().int().min(1024),
    webDir: z.string().optional(),
    allowedOrigins: z.array(z.string().url()),
    rules: z.array(correlationRuleSchema),
    /** Retained events that may carry one key value before it is hot and joins no more flows. */
    hotKeyEvents: z.number().int().min(2).max(10_000_000),
    /** A URL of a trace in Jaeger, Tempo or Zipkin, with `{traceId}` where the W3C trace id goes. */
    traceUrl: z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL, e.g. http://localhost:16686/trace/{traceId}')
      .refine((u) => u.includes('{traceId}'), 'must contain {traceId} where the trace id goes')
      .optional(),
    producerHeaders: z.array(z.string().min(1)),
    masks: z.array(maskRuleSchema),
    /** Where history is kept; undefined keeps everything in memory only. */
    dataDir: z.string().min(1).optional(),
    retentionMs: z.number().int().positive(),
    maxDbBytes: z
      .number()
      .int()
      .min(1024 * 1024, 'must be at least 1MB'),
  })
  .superRefine((c, ctx) => {
    if (!LOOPBACK.has(c.host) && !c.tokenFromUser) {
      ctx.addIssue({
        code: 'custom',
        path: ['host'],
        message: `binding to ${c.host} exposes Flowscope beyond this machine; set FLOWSCOPE_TOKEN (or --token) to a secret you share deliberately, or keep the default 127.0.0.1`,
      });
    }
    c.sources.forEach((s, i) => {
      const parsed = pluginOf(s).configSchema.safeParse(s);
      if (!parsed.success)
        for (const issue of parsed.error.issues)
          ctx.addIssue({ code: 'custom', path: ['sources', i, ...issue.path], message: issue.message });
    });
  });
export type Config = z.infer<typeof configSchema>;

export function buildCli(): Command {
  const cli = new Command('flowscope')
    .description('See what your event-driven system is doing: tail brokers, trace flows, in the browser.')
    .addOption(
      new Option('--host <address>', 'address to bind (non-loopback needs --token)')
        .env('FLOWSCOPE_HOST')
        .default('127.0.0.1'),
    )
    .addOption(
      new Option('--port <port>', 'HTTP port (0 picks a free one)')
        .env('FLOWSCOPE_PORT')
        .default(7420)
        .argParser(int('--port')),
    )
    .addOption(new Option('--token <token>', 'access token (default: random per start)').env('FLOWSCOPE_TOKEN'));
  for (const plugin of sourcePlugins) for (const option of plugin.options()) cli.addOption(option);
  for (const option of coreOptions()) cli.addOption(option);
  return cli
    .addHelpText(
      'after',
      '\nExports (Mermaid, AsyncAPI, Markdown, HTML, NDJSON captures) from a running server or a data directory:\n  flowscope export --help',
    )
    .showHelpAfterError();
}

function coreOptions(): Option[] {
  return [
    new Option(
      '--schema-registry <url>',
      'Confluent Schema Registry URL: decodes Avro, Protobuf and JSON Schema values in the Confluent wire format, from any source',
    ).env('FLOWSCOPE_SCHEMA_REGISTRY'),
    new Option('--buffer <events>', 'events kept in memory').default(20_000).argParser(int('--buffer')),
    new Option(
      '--memory <size>',
      'what events held in memory (the buffer and the flows being correlated) may take; large events shorten the window (e.g. 512MB, 4GB)',
    )
      .default(1024 ** 3, '1GB')
      .argParser(byteSize),
    new Option(
      '--no-source-threads',
      'read and decode Kafka on the main thread (by default each Kafka source runs on a thread of its own)',
    ),
    new Option('--max-payload <bytes>', 'payloads larger than this are kept truncated')
      .default(256 * 1024)
      .argParser(int('--max-payload')),
    new Option('--web-dir <path>', 'built web app to serve').env('FLOWSCOPE_WEB_DIR'),
    new Option('--allow-origin <origins>', 'extra allowed browser origins (e.g. a Vite dev server)')
      .default([])
      .argParser(list),
    new Option('--data-dir <path>', 'where history is stored (SQLite)')
      .env('FLOWSCOPE_DATA_DIR')
      .default(join(homedir(), '.flowscope', 'data')),
    new Option('--no-store', 'keep history in memory only (lost on restart)'),
    new Option('--retention <age>', 'delete history older than this (e.g. 30m, 24h, 7d)')
      .default(24 * 3600_000, '24h')
      .argParser(duration),
    new Option('--max-db-size <size>', 'delete the oldest history beyond this size (e.g. 500MB, 2GB)')
      .default(1024 ** 3, '1GB')
      .argParser(byteSize),
    new Option(
      '--key <rule>',
      'extra correlation key rule, repeatable: name=header:<header>, name=payload:<path> or name=key, optionally @<channel glob>',
    )
      .default([])
      .argParser(keyRule),
    new Option(
      '--hot-key-events <events>',
      'a correlation key value on more retained events than this (a tenant, a customer) joins no more flows',
    )
      .default(1000)
      .argParser(int('--hot-key-events')),
    new Option(
      '--trace-url <template>',
      'link flows to their trace in Jaeger, Tempo or Zipkin: a URL with {traceId}, e.g. http://localhost:16686/trace/{traceId}',
    ),
    new Option(
      '--producer-header <name>',
      'header that names the producing service (before ce_source, producer, …), repeatable',
    )
      .default([])
      .argParser((v: string, prev: string[]) => [...prev, v.trim()]),
    new Option(
      '--mask <rule>',
      'hide a value before it is stored or shown, repeatable: payload:<path>, header:<name> or key, optionally @<channel glob>',
    )
      .default([])
      .argParser(maskRule),
    new Option('-c, --config <file>', 'YAML config file (see flowscope.example.yaml); flags override it').env(
      'FLOWSCOPE_CONFIG',
    ),
  ];
}

function maskRule(value: string, previous: MaskRule[]): MaskRule[] {
  const m = /^(payload|header|key)(?::([^@]+))?(?:@(.+))?$/.exec(value.trim());
  if (!m?.[1] || (m[1] !== 'key' && !m[2])) {
    throw new InvalidArgumentError(
      `"${value}" is not a mask rule; expected payload:<path>, header:<name> or key, optionally @<channel glob>`,
    );
  }
  return [...previous, { target: m[1] as MaskRule['target'], path: m[2] ?? '', ...(m[3] ? { channel: m[3] } : {}) }];
}

/** `orderId=payload:data.order.id@orders.*` → a rule; throws a message that shows the expected form. */
function keyRule(value: string, previous: CorrelationRule[]): CorrelationRule[] {
  const m = /^([\w.-]+)=(header|payload|key)(?::([^@]+))?(?:@(.+))?$/.exec(value.trim());
  if (!m?.[1] || !m[2] || (m[2] !== 'key' && !m[3])) {
    throw new InvalidArgumentError(
      `"${value}" is not a key rule; expected name=header:<header>, name=payload:<path> or name=key, optionally @<channel glob>`,
    );
  }
  const rule: CorrelationRule = {
    name: m[1],
    from: m[2] as CorrelationRule['from'],
    path: m[3] ?? '',
    ...(m[4] ? { channel: m[4] } : {}),
  };
  return [...previous, rule];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Every plugin's configurations, in plugin order (the demo, last, runs alone by default). */
function resolveSources(ctx: Omit<ResolveContext, 'file'>, file: FileConfig, errors: string[]): SourceConfig[] {
  const sources: SourceConfig[] = [];
  for (const plugin of sourcePlugins) {
    const resolved = plugin.resolve({ ...ctx, file: plugin.file ? file[plugin.file.key] : undefined }, sources.length);
    errors.push(...resolved.errors);
    sources.push(...resolved.configs);
  }
  return sources;
}

/** Schema decoding from `--schema-registry` and the file's `schemas:` section; schema files are checked now. */
function resolveDecoding(ctx: Omit<ResolveContext, 'file'>, file: FileConfig, errors: string[]): DecodingConfig {
  const section = file.schemas;
  const password = resolveSecret(section?.registry?.password, ctx.env, 'schemas.registry.password');
  if (password.error) errors.push(password.error);
  const flag = ctx.explicit('schemaRegistry') ? (ctx.opts.schemaRegistry as string) : undefined;
  const fromFile = section?.registry;
  const registry = flag
    ? { url: flag }
    : fromFile && {
        url: fromFile.url,
        ...(fromFile.username ? { username: fromFile.username } : {}),
        ...(password.value ? { password: password.value } : {}),
        ...(fromFile.sources ? { sources: fromFile.sources } : {}),
      };
  const files = (section?.files ?? []).map((f) => ({ ...f, file: filePath(f.file, ctx.baseDir) }));
  files.forEach((f, j) => {
    try {
      loadFile(f);
    } catch (err) {
      errors.push(`schemas.files[${j}].file: ${(err as Error).message}`);
    }
  });
  return { ...(registry ? { registry } : {}), files };
}

/**
 * The effective configuration: built-in defaults, then the YAML file (`--config`), then
 * environment variables and flags. Errors name the flag or the file field to fix.
 */
export function resolveConfig(cmd: Command, env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const opts = cmd.opts();
  const explicit = (name: string) => {
    const source = cmd.getOptionValueSource(name);
    return source === 'cli' || source === 'env';
  };
  let file: FileConfig = {};
  if (typeof opts.config === 'string') {
    const loaded = loadConfigFile(opts.config);
    if (!loaded.ok) return { ok: false, errors: loaded.errors };
    file = loaded.value;
  }
  const errors: string[] = [];
  /** Flag or env when given, else the file's value, else the flag's default. */
  const pick = <T>(name: string, fromFile: T | undefined): T =>
    explicit(name) || fromFile === undefined ? (opts[name] as T) : fromFile;
  const ctx = { opts, explicit, env, baseDir: typeof opts.config === 'string' ? dirname(opts.config) : process.cwd() };

  const tokenFromFile = resolveSecret(file.server?.token, env, 'server.token');
  if (tokenFromFile.error) errors.push(tokenFromFile.error);
  const userToken = explicit('token') ? (opts.token as string) : tokenFromFile.value;
  const sources = resolveSources(ctx, file, errors);
  const decoding = resolveDecoding(ctx, file, errors);
  if (errors.length > 0) return { ok: false, errors };

  const storeEnabled = explicit('store') ? opts.store !== false : (file.storage?.enabled ?? opts.store !== false);
  const webDir = pick<string | undefined>('webDir', file.server?.webDir);
  const candidate = {
    host: pick('host', file.server?.host),
    port: pick('port', file.server?.port),
    token: userToken ?? randomBytes(24).toString('base64url'),
    tokenFromUser: userToken !== undefined,
    sources,
    decoding,
    bufferSize: pick('buffer', file.ingest?.bufferSize),
    sourceThreads: opts.sourceThreads !== false,
    memoryBytes: pick('memory', toBytes(file.ingest?.memory)),
    maxPayloadBytes: pick('maxPayload', toBytes(file.ingest?.maxPayload)),
    ...(webDir ? { webDir } : {}),
    allowedOrigins: pick('allowOrigin', file.server?.allowedOrigins),
    ...(storeEnabled ? { dataDir: expandHome(pick('dataDir', file.storage?.dataDir)) } : {}),
    retentionMs: pick('retention', toMs(file.storage?.retention)),
    maxDbBytes: pick('maxDbSize', toBytes(file.storage?.maxSize)),
    rules: [
      ...defaultCorrelationRules,
      ...(file.correlation?.keys ?? []),
      ...((opts.key as CorrelationRule[] | undefined) ?? []),
    ],
    hotKeyEvents: pick('hotKeyEvents', file.correlation?.hotKeyEvents),
    ...traceUrlOf(opts.traceUrl, file.links?.trace),
    producerHeaders: [
      ...((opts.producerHeader as string[] | undefined) ?? []),
      ...(file.correlation?.producerHeaders ?? []),
    ],
    masks: [...(file.masking ?? []), ...((opts.mask as MaskRule[] | undefined) ?? [])],
  };
  const parsed = configSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${optionName(i.path, sources)}: ${i.message}`) };
}

/** The trace link template: the flag over the file. */
const traceUrlOf = (flag: unknown, file: string | undefined): { traceUrl?: string } => {
  const url = typeof flag === 'string' ? flag.trim() : file;
  return url ? { traceUrl: url } : {};
};

/** The configurations of one kind of source. */
export const sourcesOf = <C extends SourceConfig>(config: Config, kind: C['kind']): C[] =>
  config.sources.filter((s) => s.kind === kind) as C[];

function optionName(path: readonly PropertyKey[], sources: readonly SourceConfig[]): string {
  const names: Record<string, string> = {
    host: '--host',
    port: '--port',
    token: '--token',
    bufferSize: '--buffer',
    memoryBytes: '--memory',
    maxPayloadBytes: '--max-payload',
    allowedOrigins: '--allow-origin',
    dataDir: '--data-dir',
    retentionMs: '--retention',
    maxDbBytes: '--max-db-size',
    hotKeyEvents: '--hot-key-events',
    traceUrl: '--trace-url (or links.trace)',
  };
  if (path[0] === 'sources' && typeof path[1] === 'number') {
    // sources[3] is the n-th source of its kind: name it as the file section does (kafka[0]).
    const kind = sources[path[1]]?.kind ?? 'source';
    const nth = sources.slice(0, path[1]).filter((s) => s.kind === kind).length;
    const rest = pointer(path.slice(2));
    return `${kind}[${nth}]${rest ? `.${rest}` : ''} (flags or the config file)`;
  }
  return names[String(path[0])] ?? String(path.join('.'));
}
