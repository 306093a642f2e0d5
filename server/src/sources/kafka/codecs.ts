import type * as KafkaJs from 'kafkajs';
import * as lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';
import * as snappy from 'snappyjs';

/**
 * Decompression for Kafka record batches beyond kafkajs's built-in gzip: snappy (raw or in the
 * xerial framing the Java client writes), lz4 (frame format) and zstd. Pure JavaScript, so there
 * is no native build. `compress` refuses: Flowscope never produces, and a codec that could would
 * be one more way to break that rule.
 */
export type KafkaCodec = {
  compress(encoder: unknown): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
};

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

/** Snappy as the Java client writes it: a 16-byte xerial header, then length-prefixed blocks. */
export function unsnappy(buffer: Buffer): Buffer {
  if (buffer.length < 16 || !buffer.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return Buffer.from(snappy.uncompress(buffer));
  }
  const parts: Buffer[] = [];
  let at = 16;
  while (at < buffer.length) {
    if (at + 4 > buffer.length) throw new Error(`truncated snappy block header at byte ${at}`);
    const size = buffer.readUInt32BE(at);
    at += 4;
    if (at + size > buffer.length) throw new Error(`truncated snappy block at byte ${at}`);
    parts.push(Buffer.from(snappy.uncompress(buffer.subarray(at, at + size))));
    at += size;
  }
  return Buffer.concat(parts);
}

function unlz4(buffer: Buffer): Buffer {
  return Buffer.from(lz4.decompress(buffer));
}

function unzstd(buffer: Buffer): Buffer {
  return Buffer.from(zstdDecompress(buffer));
}

function readOnlyCodec(name: string, decompress: (b: Buffer) => Buffer): KafkaCodec {
  return {
    compress: () => Promise.reject(new Error(`Flowscope is read-only: it never produces (${name} compress refused).`)),
    decompress: async (buffer) => {
      try {
        return decompress(buffer);
      } catch (err) {
        throw new Error(`a ${name} record batch could not be decompressed: ${(err as Error).message}`);
      }
    },
  };
}

export const codecs = {
  snappy: readOnlyCodec('snappy', unsnappy),
  lz4: readOnlyCodec('lz4', unlz4),
  zstd: readOnlyCodec('zstd', unzstd),
};

/** Registers the codecs with kafkajs (a process-wide table). Idempotent. */
export function registerCodecs(kafkajs: Pick<typeof KafkaJs, 'CompressionCodecs' | 'CompressionTypes'>): void {
  // From the CommonJS module object: Node's ESM named-export detection misses CompressionCodecs.
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  CompressionCodecs[CompressionTypes.Snappy] = () => codecs.snappy;
  CompressionCodecs[CompressionTypes.LZ4] = () => codecs.lz4;
  CompressionCodecs[CompressionTypes.ZSTD] = () => codecs.zstd;
}
