import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PieceSlab } from './pieceSlab.js';

/** A piece of `lines` event-like lines, as the writer compresses it, against `dictionary` if given. */
function piece(tag: string, lines: number, dictionary?: Buffer) {
  const text = Buffer.from(
    Array.from({ length: lines }, (_, i) => `{"seq":${i},"id":"${tag}-${i}","type":"order.placed"}`).join('\n'),
  );
  return { text, compressed: deflateRawSync(text, dictionary ? { level: 1, dictionary } : { level: 1 }) };
}

describe('the ring lookups inflate pieces into', () => {
  it('keeps a piece readable until the ring comes round over its bytes, and no longer', () => {
    const slab = new PieceSlab(64 * 1024);
    const dictionary = Buffer.from('{"seq":,"id":"","type":"order.placed"}');
    const read = (p: { round: number; base: number }, text: Buffer) =>
      slab.bytes.subarray(p.base, p.base + text.length).equals(text);
    const a = piece('a', 100, dictionary); // about 5 KB each
    const pa = slab.inflate(a.compressed, a.text.length, dictionary);
    expect(pa).toBeDefined(); // this Node's zlib handle is driven directly
    if (!pa) return;
    expect(read(pa, a.text)).toBe(true);
    // Smaller pieces after it, until the ring comes round.
    const placed = [pa];
    let p = pa;
    for (let i = 0; p.round === 0; i++) {
      const next = piece(`p${i}`, 80);
      p = slab.inflate(next.compressed, next.text.length) as { round: number; base: number };
      placed.push(p);
    }
    // The first piece is written over; the second, which starts past the new one's end, is not.
    const [, second, third] = placed as [unknown, { round: number; base: number }, { round: number; base: number }];
    expect(slab.holds(pa)).toBe(false);
    expect(slab.holds(second)).toBe(true);
    expect(read(second, piece('p0', 80).text)).toBe(true);
    const more = piece('more', 80);
    slab.inflate(more.compressed, more.text.length);
    expect(slab.holds(second)).toBe(false);
    expect(slab.holds(third)).toBe(true);
    expect(read(third, piece('p1', 80).text)).toBe(true);
  });

  it('refuses a piece that inflates to more or fewer bytes than its head says, and goes on', () => {
    const slab = new PieceSlab(64 * 1024);
    const p = piece('x', 50);
    expect(() => slab.inflate(p.compressed, p.text.length - 1)).toThrow(
      /more than .* says \d+\); the store file may be damaged/,
    );
    expect(() => slab.inflate(p.compressed, p.text.length + 5)).toThrow(/could not be inflated/);
    expect(() => slab.inflate(Buffer.from('not deflate at all'), 100)).toThrow(/could not be inflated/);
    const ok = slab.inflate(p.compressed, p.text.length);
    expect(ok && slab.bytes.subarray(ok.base, ok.base + p.text.length).equals(p.text)).toBe(true);
  });
});
