import { globToRegExp } from '@flowscope/shared';
import { z } from 'zod';
import type { RawRecord } from '../../sources/contract.js';
import {
  SchemaDecoder,
  SchemaRegistry,
  loadFile,
  type CompiledSchema,
  type RegistryOptions,
  type SchemaDecoding,
} from './schemas.js';

/** Where schema decoding applies: a registry for framed values, and schema files per channel. */
export type DecodingConfig = {
  /** Confluent wire format (magic byte 0 + schema id) on the channels of these sources (default: all). */
  readonly registry?: RegistryOptions & { readonly sources?: readonly string[] };
  readonly files: readonly {
    /** Channel name or glob (`orders`, `payments.*`). */
    readonly channel: string;
    /** Source id or glob (`kafka:prod`); default: every source. */
    readonly source?: string;
    readonly file: string;
    readonly message?: string;
  }[];
};

export const decodingConfigSchema = z.object({
  registry: z.custom<DecodingConfig['registry']>().optional(),
  files: z.array(
    z.object({
      channel: z.string().min(1),
      source: z.string().min(1).optional(),
      file: z.string().min(1),
      message: z.string().min(1).optional(),
    }),
  ),
});

/** A record with what schema decoding made of its value, when it applied. */
export type DecodedRecord = RawRecord & { readonly schema?: SchemaDecoding };

/**
 * The schema decoding stage of ingest, for any source's records: values in the Confluent wire
 * format go to the registry, values of channels with a schema file to that file. Decoders are
 * chosen once per source and channel. A batch none of whose values applies passes synchronously.
 */
export class DecodingStage {
  private readonly registry?: SchemaRegistry;
  private readonly registrySources?: RegExp[];
  private readonly files: { channel: RegExp; source?: RegExp; compiled: CompiledSchema }[];
  private readonly decoders = new Map<string, SchemaDecoder | null>();

  constructor(config: DecodingConfig) {
    if (config.registry) {
      this.registry = new SchemaRegistry(config.registry);
      if (config.registry.sources) this.registrySources = config.registry.sources.map((s) => globToRegExp(s));
    }
    this.files = config.files.map((f) => ({
      channel: globToRegExp(f.channel),
      ...(f.source ? { source: globToRegExp(f.source) } : {}),
      compiled: loadFile(f),
    }));
  }

  get enabled(): boolean {
    return this.registry !== undefined || this.files.length > 0;
  }

  /** The decoder for one channel of one source, or null when nothing applies there. */
  private decoderFor(sourceId: string, channel: string): SchemaDecoder | null {
    const key = `${sourceId}\0${channel}`;
    let d = this.decoders.get(key);
    if (d === undefined) {
      const registry =
        this.registry && (!this.registrySources || this.registrySources.some((r) => r.test(sourceId)))
          ? this.registry
          : undefined;
      const file = this.files.find((f) => f.channel.test(channel) && (!f.source || f.source.test(sourceId)));
      d = registry || file ? new SchemaDecoder(registry, file?.compiled) : null;
      this.decoders.set(key, d);
    }
    return d;
  }

  /**
   * The batch with schema results attached, in order; the same array when no value needed a
   * schema (the common case, with no promise in the way).
   */
  decode(sourceId: string, batch: readonly RawRecord[]): readonly DecodedRecord[] | Promise<readonly DecodedRecord[]> {
    if (!this.enabled) return batch;
    let pending: Promise<SchemaDecoding | undefined>[] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i] as RawRecord;
      const decoder = this.decoderFor(sourceId, r.channel);
      if (!decoder?.applies(r.value)) continue;
      pending ??= new Array<Promise<SchemaDecoding | undefined>>(batch.length);
      pending[i] = decoder.decode(r.channel, r.value as Uint8Array);
    }
    if (!pending) return batch;
    const waiting = pending;
    return Promise.all(batch.map((_, i) => waiting[i])).then((schemas) =>
      batch.map((r, i) => {
        const schema = schemas[i];
        return schema ? { ...r, schema } : r;
      }),
    );
  }
}
