/**
 * A hash index from strings to int32 values, for the engine's millions of ids.
 *
 * A `Map` with millions of string keys costs 1-3 µs per lookup that misses on this machine class:
 * its chains sit in separate entries, and each candidate's key string is read for its hash, all
 * random reads in a heap of gigabytes. Most of the engine's lookups miss (every new event id,
 * message id and span id is looked up before it is added). Here a probe reads one pair of int32s,
 * the key's hash beside its value (open addressing, linear probing); only when the hashes match
 * does the owner's `holds(value, key)` check the key, in the data the value points at. The index
 * keeps no strings: it lives in one `ArrayBuffer` that the garbage collector never walks.
 *
 * Callers hash a key once (`hashString`) and pass the hash to each call. The hash is keyed and the
 * server picks the key at random, so keys chosen to collide (to make every probe walk the table)
 * cannot be prepared in advance. Deletion shifts later cells
 * back (no tombstones), so probe runs stay short however many keys come and go. The load stays
 * at most one half.
 */
export class StringIndex {
  /** Cell i: `cells[2i]` the key's hash, `cells[2i + 1]` its value, stored as `code(value)` (0: free). */
  private cells: Int32Array;
  private mask: number;
  size = 0;

  /**
   * `holds(value, key)`: whether the value was stored under this key (the owner knows from the
   * value). `expected`: how many keys the owner may hold at most. Past a few thousand keys the
   * index grows to that size at once: each doubling of a table of many megabytes is external
   * memory that V8 answers with a full collection of the whole heap (1-2 s with 1M events held).
   */
  constructor(
    private readonly holds: (value: number, key: string) => boolean,
    private readonly expected = 0,
  ) {
    this.cells = new Int32Array(2 * 1024);
    this.mask = 1023;
  }

  get(key: string, hash: number): number | undefined {
    const i = this.find(key, hash);
    return i < 0 ? undefined : decode(this.cells[2 * i + 1] as number);
  }

  /** Adds the key, or gives it a new value (an int32 below 2^31 - 1). */
  set(key: string, hash: number, value: number): void {
    const cells = this.cells;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const at = 2 * i;
      const stored = cells[at + 1] as number;
      if (stored === 0) {
        cells[at] = hash;
        cells[at + 1] = encode(value);
        if (++this.size * 2 > this.mask + 1) this.grow();
        return;
      }
      if (cells[at] === hash && this.holds(decode(stored), key)) {
        cells[at + 1] = encode(value);
        return;
      }
    }
  }

  delete(key: string, hash: number): boolean {
    let hole = this.find(key, hash);
    if (hole < 0) return false;
    const { cells, mask } = this;
    // Backward shift: each later cell of the run moves into the hole unless its home lies
    // cyclically in (hole, cell], where a probe from its home would no longer reach it.
    for (let j = (hole + 1) & mask; cells[2 * j + 1] !== 0; j = (j + 1) & mask) {
      const home = (cells[2 * j] as number) & mask;
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      cells[2 * hole] = cells[2 * j] as number;
      cells[2 * hole + 1] = cells[2 * j + 1] as number;
      hole = j;
    }
    cells[2 * hole + 1] = 0;
    this.size -= 1;
    return true;
  }

  private find(key: string, hash: number): number {
    const cells = this.cells;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const at = 2 * i;
      const stored = cells[at + 1] as number;
      if (stored === 0) return -1;
      if (cells[at] === hash && this.holds(decode(stored), key)) return i;
    }
  }

  private grow() {
    const old = this.cells;
    let cap = old.length; // twice the cells: each cell is two int32s
    if (this.size >= EARLY_KEYS) cap = Math.max(cap, capacityFor(this.expected));
    const cells = new Int32Array(2 * cap);
    const mask = cap - 1;
    for (let at = 0; at < old.length; at += 2) {
      const stored = old[at + 1] as number;
      if (stored === 0) continue;
      const hash = old[at] as number;
      let j = hash & mask;
      while (cells[2 * j + 1] !== 0) j = (j + 1) & mask;
      cells[2 * j] = hash;
      cells[2 * j + 1] = stored;
    }
    this.cells = cells;
    this.mask = mask;
  }
}

/** Keys held before the index grows straight to the size the owner expects. */
const EARLY_KEYS = 4096;

/** Cells for `keys` keys at a load of at most one half. */
const capacityFor = (keys: number) => 2 ** Math.ceil(Math.log2(Math.max(1, 2 * keys + 1)));

/** 0 marks a free cell: values from 0 up are stored one higher. */
const encode = (value: number) => (value >= 0 ? value + 1 : value);
const decode = (stored: number) => (stored > 0 ? stored - 1 : stored);

/**
 * A 32-bit keyed hash of a string: HalfSipHash-1-3 (SipHash's 32-bit variant) over its UTF-16
 * units, two units to a word, keyed with the seed. A keyed hash, not a fast unkeyed one: with
 * multiply-xor hashes, seeded or not, strings that collide whatever the seed can be computed, and
 * a stream of them would make every probe walk the table.
 */
export function hashString(s: string, seed: number): number {
  const k0 = seed | 0;
  const k1 = Math.imul(seed ^ 0x2d7f954c, 0x5bd1e995) ^ 0x7ed55d16;
  let v0 = k0;
  let v1 = k1;
  let v2 = 0x6c796765 ^ k0;
  let v3 = 0x74656462 ^ k1;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const m = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    v3 ^= m;
    v0 = (v0 + v1) | 0;
    v1 = ((v1 << 5) | (v1 >>> 27)) ^ v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = ((v3 << 8) | (v3 >>> 24)) ^ v2;
    v0 = (v0 + v3) | 0;
    v3 = ((v3 << 7) | (v3 >>> 25)) ^ v0;
    v2 = (v2 + v1) | 0;
    v1 = ((v1 << 13) | (v1 >>> 19)) ^ v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    v0 ^= m;
  }
  // The last word: the length in units (mod 2^16) and the odd unit left, if any. The round is
  // written out twice on purpose: one loop over every word with branches for the last ones gave
  // the same hashes about 30 % slower, and this runs for every id of every event.
  const b = ((n & 0xffff) << 16) | (i < n ? s.charCodeAt(i) : 0);
  v3 ^= b;
  for (let r = 0; r < 4; r++) {
    v0 = (v0 + v1) | 0;
    v1 = ((v1 << 5) | (v1 >>> 27)) ^ v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = ((v3 << 8) | (v3 >>> 24)) ^ v2;
    v0 = (v0 + v3) | 0;
    v3 = ((v3 << 7) | (v3 >>> 25)) ^ v0;
    v2 = (v2 + v1) | 0;
    v1 = ((v1 << 13) | (v1 >>> 19)) ^ v2;
    v2 = (v2 << 16) | (v2 >>> 16);
    if (r === 0) {
      v0 ^= b;
      v2 ^= 0xff;
    }
  }
  return v1 ^ v3;
}
