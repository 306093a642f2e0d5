import { describe, expect, it } from 'vitest';
import { BlockCache } from './blockCache.js';
import type { DecodedBlock } from './decodedBlock.js';

const block = (name: string) => ({ name }) as unknown as DecodedBlock;

describe('the cache of decoded blocks', () => {
  it('puts out the least recently used block, and never serves a block retention has rewritten', () => {
    const cache = new BlockCache(2);
    const [a, b, c] = [block('a'), block('b'), block('c')];
    cache.set(1, 100, 64, a);
    cache.set(2, 164, 64, b);
    expect(cache.get(1, 100, 64)).toBe(a); // a is now the more recent
    cache.set(3, 228, 64, c);
    expect(cache.get(2, 164, 64)).toBeUndefined();
    expect(cache.get(1, 100, 64)).toBe(a);
    expect(cache.get(3, 228, 64)).toBe(c);
    // Retention rewrote block 1 without its first events: same id, other first seq and count.
    expect(cache.get(1, 120, 44)).toBeUndefined();
  });
});
