import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { decodeAvro, parseAvroSchema, type AvroType } from './avro.js';
import { decodeMessage, messageAt, parseProto, readMessageIndexes, type ProtoSchema } from './protobuf.js';

export type SchemaFormat = 'avro' | 'protobuf' | 'json-schema';

/** What schema decoding made of a record's value, handed to `normalize` with the record. */
export type SchemaDecoding =
  | {
      readonly format: SchemaFormat;
      readonly schemaId?: number;
      readonly origin: 'registry' | 'file';
      readonly json: unknown;
    }
  | { readonly schemaId?: number; readonly error: string };

export type RegistryOptions = {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
};

/** A local schema file (plain, or Confluent-framed without a registry); `message` names a .proto's message. */
export type SchemaFile = { readonly file: string; readonly message?: string };

type Compiled =
  | { format: 'avro'; avro: AvroType }
  | { format: 'protobuf'; proto: ProtoSchema; message?: string }
  | { format: 'json-schema' };

const UNKNOWN_RETRY_MS = 30_000;

/**
 * Confluent Schema Registry client for the one call decoding needs, `GET /schemas/ids/{id}`.
 * Schemas are immutable per id, so each is fetched once; an id the registry does not know is
 * remembered for 30 s (then asked again), and never guessed.
 */
export class SchemaRegistry {
  private readonly cache = new Map<number, Promise<Compiled>>();
  private readonly unknownUntil = new Map<number, { until: number; error: Error }>();

  /** The URL without credentials: it appears in notes and logs. */
  readonly url: string;
  private readonly auth?: string;

  constructor(private readonly o: RegistryOptions) {
    const u = new URL(o.url);
    const username = o.username ?? (u.username ? decodeURIComponent(u.username) : undefined);
    const password = o.password ?? (u.password ? decodeURIComponent(u.password) : undefined);
    u.username = '';
    u.password = '';
    this.url = u.toString().replace(/\/+$/, '');
    if (username !== undefined) this.auth = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  }

  schema(id: number): Promise<Compiled> {
    const unknown = this.unknownUntil.get(id);
    if (unknown && unknown.until > Date.now()) return Promise.reject(unknown.error);
    let cached = this.cache.get(id);
    if (!cached) {
      cached = this.fetchSchema(id);
      this.cache.set(id, cached);
      cached.catch((err: Error) => {
        this.cache.delete(id);
        if ((err as Error & { status?: number }).status === 404)
          this.unknownUntil.set(id, { until: Date.now() + UNKNOWN_RETRY_MS, error: err });
      });
    }
    return cached;
  }

  private async fetchSchema(id: number): Promise<Compiled> {
    const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (this.auth) headers.authorization = this.auth;
    let res: Response;
    try {
      res = await fetch(`${this.url}/schemas/ids/${id}`, {
        headers,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
      });
    } catch (err) {
      throw new Error(`the Schema Registry at ${this.url} did not answer (${(err as Error).message})`);
    }
    if (!res.ok) {
      const error = new Error(
        res.status === 404
          ? `schema id ${id} is unknown to the Schema Registry at ${this.url}`
          : `the Schema Registry at ${this.url} answered ${res.status} for schema id ${id}`,
      );
      Object.assign(error, { status: res.status });
      throw error;
    }
    const body = (await res.json()) as { schema?: string; schemaType?: string };
    if (typeof body.schema !== 'string') throw new Error(`the Schema Registry sent no schema for id ${id}`);
    return compile(body.schemaType ?? 'AVRO', body.schema);
  }
}

export type { Compiled as CompiledSchema };

function compile(schemaType: string, text: string, message?: string): Compiled {
  switch (schemaType.toUpperCase()) {
    case 'AVRO':
      return { format: 'avro', avro: parseAvroSchema(text) };
    case 'PROTOBUF':
      return { format: 'protobuf', proto: parseProto(text), ...(message ? { message } : {}) };
    case 'JSON':
      return { format: 'json-schema' };
    default:
      throw new Error(`schema type ${schemaType} is not supported`);
  }
}

/** Reads and compiles a schema file; throws a message naming the file. Used to check config early. */
export function loadFile(f: SchemaFile): Compiled {
  let text: string;
  try {
    text = readFileSync(f.file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${f.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const ext = extname(f.file).toLowerCase();
  if (ext === '.avsc') return compile('AVRO', text);
  if (ext === '.proto') {
    if (!f.message) throw new Error(`${f.file}: say which message the topic carries (message: package.Name)`);
    return compile('PROTOBUF', text, f.message);
  }
  if (ext === '.json') return compile('JSON', text);
  throw new Error(`${f.file}: use .avsc (Avro), .proto (Protobuf) or .json (JSON Schema)`);
}

const FORMAT_NAMES: Record<SchemaFormat, string> = { avro: 'Avro', protobuf: 'Protobuf', 'json-schema': 'JSON Schema' };
export const formatName = (f: SchemaFormat) => FORMAT_NAMES[f];

/**
 * Decodes record values in the Confluent wire format (magic byte 0, 4-byte schema id) with the
 * registry, and values of topics mapped to local schema files. Anything else is left alone for
 * the usual JSON/text/binary decoding. Never throws: failures come back as an error to show.
 */
export class SchemaDecoder {
  private readonly file?: Compiled;

  /** A registry, a channel's schema file, or both (framed values go to the registry first). */
  constructor(
    private readonly registry: SchemaRegistry | undefined,
    file?: SchemaFile | Compiled,
  ) {
    if (file) this.file = 'format' in file ? file : loadFile(file);
  }

  /** Whether this value is one the decoder would decode (or explain); cheap, synchronous. */
  applies(value: Uint8Array | string | null | undefined): value is Uint8Array {
    if (!value || typeof value === 'string' || value.length === 0) return false;
    return this.file !== undefined || (value.length >= 5 && value[0] === 0);
  }

  async decode(topic: string, value: Uint8Array | null | undefined): Promise<SchemaDecoding | undefined> {
    if (!value || value.length === 0) return undefined;
    const data = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const framed = data.length >= 5 && data[0] === 0;
    const file = this.file;
    if (!framed && !file) return undefined;
    const schemaId = framed ? data.readUInt32BE(1) : undefined;
    const body = framed ? data.subarray(5) : data;
    let compiled: Compiled;
    let origin: 'registry' | 'file';
    try {
      if (framed && this.registry) {
        compiled = await this.registry.schema(schemaId as number);
        origin = 'registry';
      } else if (file) {
        compiled = file;
        origin = 'file';
      } else {
        return {
          schemaId: schemaId as number,
          error: `Confluent wire format with schema id ${schemaId}, but no Schema Registry is configured for ${topic} (schemas.registry or --schema-registry), so it is shown as bytes.`,
        };
      }
    } catch (err) {
      return { schemaId: schemaId as number, error: `${(err as Error).message}; shown as bytes, not guessed.` };
    }
    try {
      return {
        format: compiled.format,
        origin,
        ...(schemaId !== undefined ? { schemaId } : {}),
        json: this.apply(compiled, body, framed),
      };
    } catch (err) {
      const what = `${formatName(compiled.format)}${schemaId !== undefined ? ` schema ${schemaId}` : ` schema for ${topic}`}`;
      return {
        ...(schemaId !== undefined ? { schemaId } : {}),
        error: `Does not decode with the ${what}: ${(err as Error).message}. Shown as bytes.`,
      };
    }
  }

  private apply(c: Compiled, body: Buffer, framed: boolean): unknown {
    switch (c.format) {
      case 'avro':
        return decodeAvro(c.avro, body);
      case 'json-schema':
        return JSON.parse(body.toString('utf8')) as unknown;
      case 'protobuf': {
        // Framed values name their message by index; plain ones are the configured message.
        if (!framed) return decodeMessage(c.proto.root.lookupType(c.message ?? ''), body);
        const { indexes, rest } = readMessageIndexes(body);
        return decodeMessage(messageAt(c.proto, indexes), rest);
      }
    }
  }
}
