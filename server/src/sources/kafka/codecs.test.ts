import * as snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { codecs, unsnappy } from './codecs.js';

describe('Kafka codecs', () => {
  it('refuses to compress: Flowscope never produces', async () => {
    await expect(codecs.zstd.compress({ buffer: Buffer.from('x') })).rejects.toThrow(/read-only/);
    await expect(codecs.snappy.compress({ buffer: Buffer.from('x') })).rejects.toThrow(/never produces/);
  });

  it('reads snappy in the xerial framing of the Java client, block by block, and raw snappy', () => {
    const a = Buffer.from('first block '.repeat(10));
    const b = Buffer.from('second block');
    const block = (buf: Buffer) => {
      const c = Buffer.from(snappy.compress(buf));
      const len = Buffer.alloc(4);
      len.writeUInt32BE(c.length);
      return Buffer.concat([len, c]);
    };
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(unsnappy(Buffer.concat([header, block(a), block(b)])).toString()).toBe(a.toString() + b.toString());
    expect(unsnappy(Buffer.from(snappy.compress(a))).toString()).toBe(a.toString());
  });

  it('says which codec failed on a damaged batch', async () => {
    await expect(codecs.lz4.decompress(Buffer.from('not lz4 at all'))).rejects.toThrow(
      /lz4 record batch could not be decompressed/,
    );
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9]);
    await expect(codecs.snappy.decompress(header)).rejects.toThrow(/truncated snappy block/);
  });
});
