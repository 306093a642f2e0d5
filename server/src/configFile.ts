import { readFileSync } from 'node:fs';
import { correlationRuleSchema } from '@flowscope/shared';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { durationText, pointer, secret, sizeText } from './configValues.js';
import { maskRuleSchema } from './ingest/mask.js';
import { sourcePlugins } from './sources/plugins.js';

/** Schema decoding for any source: a Schema Registry for framed values, schema files per channel. */
const schemasSection = z
  .object({
    /** Confluent Schema Registry for values in the Confluent wire format (magic byte + schema id). */
    registry: z
      .object({
        url: z.string().url(),
        username: z.string().min(1).optional(),
        password: secret.optional(),
        /** Source ids (or globs such as `kafka:*`) whose values go to this registry; default all. */
        sources: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    /** Local schema files: .avsc (Avro), .proto (Protobuf, with message) or .json (JSON Schema). */
    files: z
      .array(
        z
          .object({
            channel: z.string().min(1),
            source: z.string().min(1).optional(),
            file: z.string().min(1),
            message: z.string().min(1).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const coreSections = {
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
    .object({
      bufferSize: z.number().int().min(100).optional(),
      maxPayload: sizeText.optional(),
      /** What events held in memory may take, e.g. 1GB (`--memory`). */
      memory: sizeText.optional(),
    })
    .strict()
    .optional(),
  schemas: schemasSection.optional(),
  correlation: z
    .object({
      keys: z.array(correlationRuleSchema).optional(),
      /** A key value on more retained events than this is hot and joins no more flows (`--hot-key-events`). */
      hotKeyEvents: z.number().int().optional(),
      /** Headers that name the producing service, tried before ce_source, producer, service, … */
      producerHeaders: z.array(z.string().min(1)).optional(),
    })
    .strict()
    .optional(),
  masking: z.array(maskRuleSchema).optional(),
  links: z
    .object({
      /** A trace's URL in Jaeger, Tempo or Zipkin, with {traceId} (`--trace-url`). */
      trace: z.string().optional(),
    })
    .strict()
    .optional(),
};

/** The YAML config file (`flowscope --config flowscope.yaml`): core sections and one per source plugin. */
const fileConfigSchema = z
  .object({
    ...coreSections,
    ...Object.fromEntries(sourcePlugins.flatMap((p) => (p.file ? [[p.file.key, p.file.schema.optional()]] : []))),
  })
  .strict();

type CoreSections = { [K in keyof typeof coreSections]?: z.infer<(typeof coreSections)[K]> };
/** The parsed file: core sections typed, source sections as each plugin parses them. */
export type FileConfig = CoreSections & { readonly [section: string]: unknown };

export type FileResult = { ok: true; value: FileConfig } | { ok: false; errors: string[] };

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
  if (parsed.success) return { ok: true, value: parsed.data as FileConfig };
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
