import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PieceDeflater } from './pieceDeflater.js';

const lines = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => `{"seq":${i},"id":"${tag}-${i}","type":"order.placed","note":"Grüße € 😀"}`);

describe("the writer's piece deflater", () => {
  it('gives the bytes deflateRawSync gives, piece after piece, with and without a dictionary, and grows for large lines', () => {
    const dictionary = Buffer.from('{"seq":,"id":"","type":"order.placed","note":"Grüße"}');
    const deflater = new PieceDeflater(1);
    expect(deflater.keptHandles).toBe(true); // this Node's zlib handle is driven directly
    // Two blocks: the second starts again at the start of the output area.
    for (const tag of ['a', 'b']) {
      // A line of 300 KB of base64: larger than the first input and output areas.
      const block = [...lines(tag, 20), randomBytes(225_000).toString('base64'), ...lines(`${tag}2`, 11)];
      const pieces = [
        [0, 16, dictionary],
        [16, 32, undefined],
      ] as const;
      deflater.begin();
      const ends: number[] = [];
      for (const [from, to, dict] of pieces) {
        const { inflated, end } = deflater.piece(block, from, to, dict);
        const text = Buffer.from(block.slice(from, to).join('\n'));
        expect(inflated).toBe(text.length);
        ends.push(end);
      }
      const data = deflater.take();
      expect(deflater.fellBack).toBe(0); // every piece through the kept handle
      expect(data.length).toBe(ends[1]);
      pieces.forEach(([from, to, dict], p) => {
        const text = Buffer.from(block.slice(from, to).join('\n'));
        const compressed = data.subarray(p === 0 ? 0 : ends[p - 1], ends[p]);
        const options = dict ? { level: 1, dictionary: dict } : { level: 1 };
        expect(compressed.equals(deflateRawSync(text, options))).toBe(true);
        expect(inflateRawSync(compressed, dict ? { dictionary: dict } : {}).equals(text)).toBe(true);
      });
    }
  });
});
