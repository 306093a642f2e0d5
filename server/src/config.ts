import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { correlationRuleSchema, defaultCorrelationRules, type CorrelationRule } from '@flowscope/shared';
import { z } from 'zod';
import { loadConfigFile, pointer, resolveSecret, type FileConfig } from './configFile.js';
import { maskRuleSchema, type MaskRule } from './ingest/mask.js';
import type { KafkaSourceOptions } from './sources/kafka/kafkaSource.js';
import { parseStartPosition, type StartPosition } from './sources/kafka/startPosition.js';
import { loadFile, type RegistryOptions, type SchemaFile } from './decoding/schemas.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const configSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    token: z.string().min(16, 'the token must be at least 16 characters'),
    tokenFromUser: z.boolean(),
    demo: z.boolean(),
    demoRate: z.number().positive().max(1000),
    kafka: z.array(
      z.object({
        cluster: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore'),
        brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1),
        topics: z.array(z.string().min(1)).min(1),
        from: z.custom<StartPosition>(),
        start: z.record(z.string(), z.custom<StartPosition>()).optional(),
        groupId: z.string().min(1).optional(),
        groupServices: z.record(z.string(), z.string()).optional(),
        schemaRegistry: z.custom<RegistryOptions>().optional(),
        schemas: z.array(z.custom<SchemaFile>()).optional(),
        groupRefreshMs: z.number().int().nonnegative().optional(),
        ssl: z.custom<KafkaSourceOptions['ssl']>().optional(),
        sasl: z.custom<KafkaSourceOptions['sasl']>().optional(),
      }),
    ),
    /** A capture to replay (`--replay`), as fast as possible or at a multiple of real time. */
    replay: z.object({ path: z.string().min(1), speed: z.union([z.literal('max'), z.number().positive()]) }).optional(),
    bufferSize: z.number().int().min(100).max(5_000_000),
    maxPayloadBytes: z.number().int().min(1024),
    webDir: z.string().optional(),
    allowedOrigins: z.array(z.string().url()),
    rules: z.array(correlationRuleSchema),
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
  });
export type Config = z.infer<typeof configSchema>;

const int = (label: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${label} must be a whole number`);
  return n;
};
const num = (label: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${label} must be a number`);
  return n;
};
const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function buildCli(): Command {
  return new Command('flowscope')
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
    .addOption(new Option('--token <token>', 'access token (default: random per start)').env('FLOWSCOPE_TOKEN'))
    .addOption(new Option('--demo', 'run the embedded demo shop (default when no broker is given)'))
    .addOption(new Option('--no-demo', 'do not run the demo shop'))
    .addOption(new Option('--demo-rate <orders>', 'demo orders per second').default(1).argParser(num('--demo-rate')))
    .addOption(
      new Option('--kafka <brokers>', 'Kafka bootstrap brokers, comma-separated host:port')
        .env('FLOWSCOPE_KAFKA_BROKERS')
        .argParser(list),
    )
    .addOption(
      new Option('--topics <topics>', 'Kafka topics, comma-separated; /regex/ for patterns')
        .env('FLOWSCOPE_KAFKA_TOPICS')
        .default(['/.*/'])
        .argParser(list),
    )
    .addOption(
      new Option(
        '--from <position>',
        'where Kafka topics start, repeatable: latest, earliest, a duration (15m: the last 15 minutes), an ISO time, or partition:offset pairs (0:1200,1:980); topic=<position> for one topic',
      )
        .default({ from: { kind: 'latest' } }, 'latest')
        .argParser(fromOption),
    )
    .addOption(
      new Option(
        '--group-id <id>',
        'fixed Kafka consumer group id (refused if it exists; default: random flowscope-tap-…)',
      ),
    )
    .addOption(
      new Option(
        '--schema-registry <url>',
        'Confluent Schema Registry URL: decodes Avro, Protobuf and JSON Schema values in the Confluent wire format',
      ).env('FLOWSCOPE_SCHEMA_REGISTRY'),
    )
    .addOption(
      new Option(
        '--group-service <group=service>',
        'draw a Kafka consumer group as this service on the map, repeatable (default: the group id)',
      )
        .default({})
        .argParser(groupService),
    )
    .addOption(
      new Option('--group-refresh <interval>', 'how often Kafka consumer groups and lag are read (0 turns it off)')
        .default(10_000, '10s')
        .argParser((v) => (v === '0' ? 0 : duration(v))),
    )
    .addOption(
      new Option('--replay <capture>', 'replay a capture (NDJSON from flowscope export) as a source').env(
        'FLOWSCOPE_REPLAY',
      ),
    )
    .addOption(
      new Option('--replay-speed <speed>', 'max (as fast as possible) or a multiple of real time, e.g. 1 or 10')
        .default('max')
        .argParser((v) => {
          if (v === 'max') return v;
          const n = Number(v);
          if (!Number.isFinite(n) || n <= 0)
            throw new InvalidArgumentError('use max or a positive number such as 1 or 10');
          return n;
        }),
    )
    .addOption(new Option('--cluster <name>', 'name of the Kafka cluster in the UI').default('local'))
    .addOption(new Option('--buffer <events>', 'events kept in memory').default(20_000).argParser(int('--buffer')))
    .addOption(
      new Option('--max-payload <bytes>', 'payloads larger than this are kept truncated')
        .default(256 * 1024)
        .argParser(int('--max-payload')),
    )
    .addOption(new Option('--web-dir <path>', 'built web app to serve').env('FLOWSCOPE_WEB_DIR'))
    .addOption(
      new Option('--allow-origin <origins>', 'extra allowed browser origins (e.g. a Vite dev server)')
        .default([])
        .argParser(list),
    )
    .addOption(
      new Option('--data-dir <path>', 'where history is stored (SQLite)')
        .env('FLOWSCOPE_DATA_DIR')
        .default(join(homedir(), '.flowscope', 'data')),
    )
    .addOption(new Option('--no-store', 'keep history in memory only (lost on restart)'))
    .addOption(
      new Option('--retention <age>', 'delete history older than this (e.g. 30m, 24h, 7d)')
        .default(24 * 3600_000, '24h')
        .argParser(duration),
    )
    .addOption(
      new Option('--max-db-size <size>', 'delete the oldest history beyond this size (e.g. 500MB, 2GB)')
        .default(1024 ** 3, '1GB')
        .argParser(byteSize),
    )
    .addOption(
      new Option(
        '--key <rule>',
        'extra correlation key rule, repeatable: name=header:<header>, name=payload:<path> or name=key, optionally @<channel glob>',
      )
        .default([])
        .argParser(keyRule),
    )
    .addOption(
      new Option(
        '--producer-header <name>',
        'header that names the producing service (before ce_source, producer, …), repeatable',
      )
        .default([])
        .argParser((v: string, prev: string[]) => [...prev, v.trim()]),
    )
    .addOption(
      new Option(
        '--mask <rule>',
        'hide a value before it is stored or shown, repeatable: payload:<path>, header:<name> or key, optionally @<channel glob>',
      )
        .default([])
        .argParser(maskRule),
    )
    .addOption(
      new Option('-c, --config <file>', 'YAML config file (see flowscope.example.yaml); flags override it').env(
        'FLOWSCOPE_CONFIG',
      ),
    )
    .addHelpText(
      'after',
      '\nExports (Mermaid, AsyncAPI, Markdown, HTML, NDJSON captures) from a running server or a data directory:\n  flowscope export --help',
    )
    .showHelpAfterError();
}

function groupService(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([^=]+)=(.+)$/.exec(value.trim());
  if (!m?.[1] || !m[2]) throw new InvalidArgumentError(`"${value}" is not group=service, e.g. billing-app=billing`);
  return { ...previous, [m[1].trim()]: m[2].trim() };
}

type FromOption = { from: StartPosition; start?: Record<string, StartPosition> };

/** `--from 15m` sets the default; `--from orders=earliest` one topic's start. */
function fromOption(value: string, previous: FromOption): FromOption {
  const eq = value.indexOf('=');
  try {
    if (eq < 0) return { ...previous, from: parseStartPosition(value) };
    const topic = value.slice(0, eq).trim();
    if (!topic) throw new Error(`"${value}" names no topic before "="`);
    return { ...previous, start: { ...previous.start, [topic]: parseStartPosition(value.slice(eq + 1)) } };
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** A file's start position: text, or a map of partition → offset. */
function fileStart(v: string | Record<string, string | number>): StartPosition {
  if (typeof v === 'string') return parseStartPosition(v);
  return { kind: 'offsets', offsets: Object.fromEntries(Object.entries(v).map(([p, o]) => [Number(p), String(o)])) };
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

function duration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`"${v}" is not a duration; use e.g. 90s, 30m, 24h or 7d`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

function byteSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`"${v}" is not a size; use e.g. 500MB or 2GB`);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[(m[2] ?? 'B').toUpperCase() as 'B'];
  return Math.round(Number(m[1]) * unit);
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

  const tokenFromFile = resolveSecret(file.server?.token, env, 'server.token');
  if (tokenFromFile.error) errors.push(tokenFromFile.error);
  const userToken = explicit('token') ? (opts.token as string) : tokenFromFile.value;

  const kafka: unknown[] = [];
  if (opts.kafka && explicit('kafka')) {
    const from = opts.from as FromOption;
    kafka.push({
      cluster: opts.cluster,
      brokers: opts.kafka,
      topics: opts.topics,
      from: from.from,
      ...(from.start ? { start: from.start } : {}),
      ...(opts.groupId ? { groupId: opts.groupId } : {}),
      groupServices: opts.groupService,
      groupRefreshMs: opts.groupRefresh,
      ...(opts.schemaRegistry ? { schemaRegistry: { url: opts.schemaRegistry } } : {}),
    });
  }
  (file.kafka ?? []).forEach((k, i) => {
    const password = resolveSecret(k.sasl?.password, env, `kafka[${i}].sasl.password`);
    const tlsKey = typeof k.ssl === 'object' ? resolveSecret(k.ssl.key, env, `kafka[${i}].ssl.key`) : {};
    const base = dirname(opts.config as string);
    const pem = (value: string | undefined, field: string) => {
      const read = value === undefined ? {} : pemOrFile(value, base, `kafka[${i}].ssl.${field}`);
      if (read.error) errors.push(read.error);
      return read.value !== undefined ? { [field]: read.value } : {};
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
    const registryPassword = resolveSecret(k.schemaRegistry?.password, env, `kafka[${i}].schemaRegistry.password`);
    for (const e of [password.error, tlsKey.error, registryPassword.error]) if (e) errors.push(e);
    const registry =
      opts.schemaRegistry && explicit('schemaRegistry') ? { url: opts.schemaRegistry } : k.schemaRegistry;
    const schemas = (k.schemas ?? []).map((f) => ({
      ...f,
      file: isAbsolute(expandHome(f.file)) ? expandHome(f.file) : resolve(base, f.file),
    }));
    schemas.forEach((f, j) => {
      try {
        loadFile(f);
      } catch (err) {
        errors.push(`kafka[${i}].schemas[${j}].file: ${(err as Error).message}`);
      }
    });
    kafka.push({
      cluster: k.cluster,
      brokers: k.brokers,
      topics: k.topics,
      from: parseStartPosition(k.from),
      ...(k.start
        ? { start: Object.fromEntries(Object.entries(k.start).map(([topic, v]) => [topic, fileStart(v)])) }
        : {}),
      ...(k.groupId ? { groupId: k.groupId } : {}),
      ...(registry
        ? {
            schemaRegistry: {
              url: registry.url,
              ...('username' in registry && registry.username ? { username: registry.username } : {}),
              ...(registryPassword.value ? { password: registryPassword.value } : {}),
            },
          }
        : {}),
      ...(schemas.length > 0 ? { schemas } : {}),
      groupServices: { ...k.consumerGroups?.services, ...(opts.groupService as Record<string, string>) },
      groupRefreshMs: explicit('groupRefresh')
        ? opts.groupRefresh
        : k.consumerGroups?.refresh !== undefined
          ? (toMs(k.consumerGroups.refresh) ?? 0)
          : opts.groupRefresh,
      ...(ssl !== undefined ? { ssl } : {}),
      ...(k.sasl
        ? { sasl: { mechanism: k.sasl.mechanism, username: k.sasl.username, password: password.value ?? '' } }
        : {}),
    });
  });
  if (errors.length > 0) return { ok: false, errors };

  const storeEnabled = explicit('store') ? opts.store !== false : (file.storage?.enabled ?? opts.store !== false);
  const demoFromFlags = explicit('demo') ? (opts.demo as boolean) : undefined;
  const candidate = {
    host: pick('host', file.server?.host),
    port: pick('port', file.server?.port),
    token: userToken ?? randomBytes(24).toString('base64url'),
    tokenFromUser: userToken !== undefined,
    demo: demoFromFlags ?? file.demo?.enabled ?? (kafka.length === 0 && !opts.replay),
    ...(opts.replay ? { replay: { path: opts.replay as string, speed: opts.replaySpeed as 'max' | number } } : {}),
    demoRate: pick('demoRate', file.demo?.ordersPerSecond),
    kafka,
    bufferSize: pick('buffer', file.ingest?.bufferSize),
    maxPayloadBytes: pick('maxPayload', toBytes(file.ingest?.maxPayload)),
    ...((pick('webDir', file.server?.webDir) as string | undefined)
      ? { webDir: pick('webDir', file.server?.webDir) }
      : {}),
    allowedOrigins: pick('allowOrigin', file.server?.allowedOrigins),
    ...(storeEnabled ? { dataDir: expandHome(pick('dataDir', file.storage?.dataDir)) } : {}),
    retentionMs: pick('retention', toMs(file.storage?.retention)),
    maxDbBytes: pick('maxDbSize', toBytes(file.storage?.maxSize)),
    rules: [
      ...defaultCorrelationRules,
      ...(file.correlation?.keys ?? []),
      ...((opts.key as CorrelationRule[] | undefined) ?? []),
    ],
    producerHeaders: [
      ...((opts.producerHeader as string[] | undefined) ?? []),
      ...(file.correlation?.producerHeaders ?? []),
    ],
    masks: [...(file.masking ?? []), ...((opts.mask as MaskRule[] | undefined) ?? [])],
  };
  const parsed = configSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${optionName(i.path)}: ${i.message}`) };
}

/** TLS material is given as PEM text, or as the path of a PEM file (relative to the config file). */
function pemOrFile(value: string, base: string, field: string): { value?: string; error?: string } {
  if (value.includes('-----BEGIN')) return { value };
  const file = isAbsolute(expandHome(value)) ? expandHome(value) : resolve(base, value);
  try {
    return { value: readFileSync(file, 'utf8') };
  } catch (err) {
    return {
      error: `${field}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    };
  }
}

const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p);
const toMs = (v: string | number | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? v : duration(v);
const toBytes = (v: string | number | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? v : byteSize(v);

function optionName(path: readonly PropertyKey[]): string {
  const names: Record<string, string> = {
    host: '--host',
    port: '--port',
    token: '--token',
    demoRate: '--demo-rate',
    bufferSize: '--buffer',
    maxPayloadBytes: '--max-payload',
    allowedOrigins: '--allow-origin',
    dataDir: '--data-dir',
    retentionMs: '--retention',
    maxDbBytes: '--max-db-size',
  };
  if (path[0] === 'kafka')
    return `kafka[${String(path[1])}]${pointer(path.slice(2)) ? `.${pointer(path.slice(2))}` : ''} (--kafka/--topics/--cluster or the config file)`;
  return names[String(path[0])] ?? String(path.join('.'));
}
