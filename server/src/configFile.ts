import { readFileSync } from 'node:fs';
import { correlationRuleSchema } from '@flowscope/shared';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { maskRuleSchema } from './ingest/mask.js';
import { parseStartPosition } from './sources/kafka/startPosition.js';

const durationText = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'use e.g. 90s, 30m, 24h or 7d'),
]);
const sizeText = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB)?$/i, 'use e.g. 256KB, 500MB or 2GB'),
]);
/** latest, earliest, 15m, an ISO time, or partition:offset pairs; or a map of partition → offset. */
const startText = z.string().superRefine((v, ctx) => {
  try {
    parseStartPosition(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});
const startPosition = z.union([
  startText,
  z.record(
    z.string().regex(/^\d+$/, 'partition numbers'),
    z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
  ),
]);

/** A secret is given inline, or (better) as the name of an environment variable that holds it. */
const secret = z.union([z.string().min(1), z.object({ env: z.string().min(1) }).strict()]);

export const kafkaClusterFileSchema = z
  .object({
    cluster: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore'),
    brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).min(1),
    topics: z.array(z.string().min(1)).min(1).default(['/.*/']),
    from: startText.default('latest'),
    /** Per-topic start positions, e.g. `orders: earliest`, `payments: 15m`, `shipments: { 0: 1200 }`. */
    start: z.record(z.string().min(1), startPosition).optional(),
    /** A fixed consumer group id; refused when such a group already exists. Default: random flowscope-tap-…. */
    groupId: z.string().min(1).optional(),
    /** Confluent Schema Registry for values in the Confluent wire format (magic byte + schema id). */
    schemaRegistry: z
      .object({
        url: z.string().url(),
        username: z.string().min(1).optional(),
        password: secret.optional(),
      })
      .strict()
      .optional(),
    /** Local schema files for topics: .avsc (Avro), .proto (Protobuf, with message) or .json (JSON Schema). */
    schemas: z
      .array(
        z.object({ topic: z.string().min(1), file: z.string().min(1), message: z.string().min(1).optional() }).strict(),
      )
      .optional(),
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

/** The YAML config file (`flowscope --config flowscope.yaml`); see flowscope.example.yaml. */
export const fileConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).optional(),
        port: z.number().int().min(0).max(65535).optional(),
        token: secret.optional(),
        allowedOrigins: z.array(z.string().url()).optional(),
        webDir: z.string().optional(),
      })
      .strict()
      .optional(),
    demo: z
      .object({ enabled: z.boolean().optional(), ordersPerSecond: z.number().positive().max(1000).optional() })
      .strict()
      .optional(),
    storage: z
      .object({
        enabled: z.boolean().optional(),
        dataDir: z.string().min(1).optional(),
        retention: durationText.optional(),
        maxSize: sizeText.optional(),
      })
      .strict()
      .optional(),
    ingest: z
      .object({ bufferSize: z.number().int().min(100).optional(), maxPayload: sizeText.optional() })
      .strict()
      .optional(),
    kafka: z.array(kafkaClusterFileSchema).optional(),
    correlation: z
      .object({
        keys: z.array(correlationRuleSchema).optional(),
        /** Headers that name the producing service, tried before ce_source, producer, service, … */
        producerHeaders: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    masking: z.array(maskRuleSchema).optional(),
  })
  .strict();
export type FileConfig = z.infer<typeof fileConfigSchema>;
export type Secret = z.infer<typeof secret>;

export type FileResult = { ok: true; value: FileConfig } | { ok: false; errors: string[] };

/** `kafka[0].brokers[1]` from a zod path. */
export const pointer = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );

/** Reads and validates a YAML config file; every error names the file, the field and, for YAML errors, the line. */
export function loadConfigFile(path: string): FileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, errors: [`${path}: cannot read the config file (${(err as Error).message})`] };
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map(
        (e) => `${path}: ${e.message.split('\n')[0]}${e.linePos ? ` (line ${e.linePos[0].line})` : ''}`,
      ),
    };
  }
  const parsed = fileConfigSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => {
      const where = pointer(i.path) || '(top level)';
      const message =
        i.code === 'unrecognized_keys'
          ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`
          : i.message;
      return `${path}: ${where}: ${message}`;
    }),
  };
}

/** The value of a secret, read from the environment when given as `{ env }`. */
export function resolveSecret(
  s: Secret | undefined,
  env: NodeJS.ProcessEnv,
  field: string,
): { value?: string; error?: string } {
  if (s === undefined) return {};
  if (typeof s === 'string') return { value: s };
  const value = env[s.env];
  return value ? { value } : { error: `${field}: environment variable ${s.env} is not set` };
}
