import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString, StringIndex } from './stringIndex.js';

/**
 * An index over a list of names, a value being the name's position (as the engine's values are
 * slots of events that carry the key). `hash` may be a poor one, so that whole hashes collide.
 */
function indexOf(names: string[], hash: (key: string) => number, expected = 0) {
  const index = new StringIndex((value, key) => names[value] === key, expected);
  return {
    index,
    get: (key: string) => index.get(key, hash(key)),
    set: (key: string, value = names.indexOf(key)) => index.set(key, hash(key), value),
    delete: (key: string) => index.delete(key, hash(key)),
  };
}

const SEED = 0x5eed;
const bySeed = (key: string) => hashString(key, SEED);

const hashes: [string, (key: string) => number][] = [
  ['the real hash', bySeed],
  ['one hash for every key', () => 7],
  ['a hash of the length only', (key) => key.length * 1021],
  ['hashes that share their low bits', (key) => (hashString(key, SEED) & 3) | 0x40000000],
];

describe('StringIndex', () => {
  it.each(hashes)('finds exactly what was set and not deleted, as a Map does, with %s', (_, hash) => {
    const names = Array.from({ length: 60 }, (_, i) => `key-${i % 7}-${'x'.repeat(i % 5)}${i}`);
    const op = fc.record({ kind: fc.constantFrom('set', 'delete'), key: fc.nat(names.length - 1) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const model = new Map<string, number>();
        const t = indexOf(names, hash);
        for (const { kind, key } of ops) {
          const name = names[key] as string;
          if (kind === 'set') {
            t.set(name);
            model.set(name, key);
          } else expect(t.delete(name)).toBe(model.delete(name));
          expect(t.index.size).toBe(model.size);
        }
        for (const name of names) expect(t.get(name)).toBe(model.get(name));
        expect(t.get('never-set')).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('keeps negative values and values beside them apart', () => {
    const t = new StringIndex((value, key) => key === `k${value}`);
    for (const v of [-2147483648, -1, 0, 1, 2147483646]) t.set(`k${v}`, hashString(`k${v}`, SEED), v);
    for (const v of [-2147483648, -1, 0, 1, 2147483646]) expect(t.get(`k${v}`, hashString(`k${v}`, SEED))).toBe(v);
    expect(t.size).toBe(5);
  });

  it('grows past its first size, also when told how many keys to expect, losing nothing, and empties', () => {
    const names = Array.from({ length: 30_000 }, (_, i) => `demo/shop/orders/${i.toString(16)}-${i % 97}`);
    for (const expected of [0, 50_000]) {
      const t = indexOf(names, bySeed, expected);
      names.forEach((n, i) => t.set(n, i));
      expect(t.index.size).toBe(names.length);
      expect(names.every((n, i) => t.get(n) === i)).toBe(true);
      names.forEach((n, i) => i % 2 === 0 && t.delete(n));
      expect(names.every((n, i) => t.get(n) === (i % 2 === 0 ? undefined : i))).toBe(true);
      names.forEach((n) => t.delete(n));
      expect(t.index.size).toBe(0);
      expect(names.some((n) => t.get(n) !== undefined)).toBe(false);
    }
  });

  it('spreads keys that differ only in their last characters (offsets, counters) over the table', () => {
    const buckets = new Set<number>();
    for (let i = 0; i < 4096; i++) buckets.add(hashString(`kafka/local/orders/2/${1_000_000 + i}`, SEED) & 4095);
    // A random function fills about 1 - 1/e of the buckets (63 %); a weak hash fills far fewer.
    expect(buckets.size).toBeGreaterThan(2400);
    // Another seed (the server picks one at random) places the same keys elsewhere.
    const moved = [...Array(64).keys()].filter((i) => hashString(`k${i}`, 1) !== hashString(`k${i}`, 2));
    expect(moved.length).toBe(64);
  });
});
