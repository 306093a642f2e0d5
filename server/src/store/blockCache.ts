import type { DecodedBlock } from './decodedBlock.js';

/**
 * The decoded blocks a connection keeps for reads, least recently used out (ADR 0021 §16).
 *
 * Not a `Map`: a map that has entries deleted and added all the time rehashes into a new table
 * now and then, and V8 keeps each table it left behind pointing at the next (for iterators).
 * Those tables sat in the old generation, garbage a scavenge cannot know is garbage, and kept
 * every block they had held alive through the scavenges until the next full collection: about
 * 4 MB copied by each scavenge during lookups, most of its pause. Here the keys are numbers in
 * typed arrays and the blocks sit in one array of fixed length; a block put out is let go at once.
 */
export class BlockCache {
  private readonly ids: Float64Array;
  private readonly firstSeqs: Float64Array;
  private readonly counts: Float64Array;
  /** When each slot was last used (0: empty). */
  private readonly used: Float64Array;
  private readonly blocks: (DecodedBlock | undefined)[];
  private clock = 0;

  constructor(readonly capacity: number) {
    this.ids = new Float64Array(capacity);
    this.firstSeqs = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
    this.used = new Float64Array(capacity);
    this.blocks = new Array<DecodedBlock | undefined>(capacity).fill(undefined);
  }

  /** The block as decoded from this row (retention's rewrite of a block changes its first seq and count). */
  get(id: number, firstSeq: number, n: number): DecodedBlock | undefined {
    for (let i = 0; i < this.capacity; i++)
      if (this.ids[i] === id && this.firstSeqs[i] === firstSeq && this.counts[i] === n && this.used[i] !== 0) {
        this.used[i] = ++this.clock;
        return this.blocks[i];
      }
    return undefined;
  }

  set(id: number, firstSeq: number, n: number, block: DecodedBlock): void {
    let slot = 0;
    for (let i = 1; i < this.capacity; i++) if ((this.used[i] as number) < (this.used[slot] as number)) slot = i;
    this.ids[slot] = id;
    this.firstSeqs[slot] = firstSeq;
    this.counts[slot] = n;
    this.used[slot] = ++this.clock;
    this.blocks[slot] = block;
  }
}
