import { inflateRawSync } from 'node:zlib';
import type { EventOrigin, FlowEvent } from '@flowscope/shared';
import { HEAD_BYTES, linksTo, PIECE_BYTES, sha256 } from './blocks.js';
import type { Statements } from './connection.js';
import { PieceSlab, SLAB_BYTES, type SlabPiece } from './pieceSlab.js';
import { hash32 } from './schema.js';

const NEWLINE = 0x0a;

/** A block's row as read to decode it (`head` and `dict` are null in blocks written before schema 5). */
type StoredBlock = {
  readonly data: Buffer;
  readonly head: Buffer | null;
  readonly channel: string;
  readonly source: string;
  readonly dict: number | null;
};

/** The query that reads a `StoredBlock` by id. */
const READ_BLOCK =
  'SELECT d.data, d.head, b.channel, b.source, b.dict FROM block_data d JOIN blocks b ON b.id = d.id WHERE d.id = ?';

/** Parsed sources: a store holds the blocks of a few sources, and every decoded block names one. */
const origins = new Map<string, EventOrigin>();
function originOf(source: string): EventOrigin {
  let origin = origins.get(source);
  if (!origin) {
    if (origins.size >= 64) origins.clear();
    origins.set(source, (origin = JSON.parse(source) as EventOrigin));
  }
  return origin;
}

/** Room for `rawBytes` of lines (mostly ASCII; `raw_bytes` counts UTF-16 units) and a block's old inline index. */
const inflateChunk = (rawBytes: number): number => Math.max(1024, Math.ceil(rawBytes * 1.0625) + 2048);

/** The channels' deflate dictionaries a connection has read, by id (ids are never reused). */
export class Dictionaries {
  private readonly byId = new Map<number, Buffer>();

  constructor(private readonly s: Statements) {}

  /** The dictionary, or undefined when none (or gone with the last block that used it). */
  get(id: number | null): Buffer | undefined {
    if (id === null) return undefined;
    let dict = this.byId.get(id);
    if (!dict) {
      dict = this.s.value('SELECT data FROM dictionaries WHERE id = ?').get(id) as Buffer | undefined;
      if (!dict) return undefined;
      if (this.byId.size >= 256) this.byId.clear();
      this.byId.set(id, dict);
    }
    return dict;
  }
}

/**
 * One piece of a block, inflated: the bytes holding its lines, where each line starts in them (then
 * one past the end), and its place in the ring when it is there (see `PieceSlab`).
 */
type Piece = { readonly bytes: Buffer; readonly starts: readonly number[]; readonly slab?: SlabPiece };

/** The piece held by `bytes` from `from` to `to`. */
function piece(bytes: Buffer, from = 0, to = bytes.length, slab?: SlabPiece): Piece {
  const own = from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to);
  const starts = [from];
  for (let at = own.indexOf(NEWLINE); at !== -1; at = own.indexOf(NEWLINE, at + 1)) starts.push(from + at + 1);
  starts.push(to + 1);
  return slab ? { bytes, starts, slab } : { bytes, starts };
}

/** The ring this thread's lookups inflate pieces into, made at the first. */
let ring: PieceSlab | undefined;
const slab = (): PieceSlab => (ring ??= new PieceSlab(SLAB_BYTES));

/**
 * A stored block, decompressed as far as asked; events are parsed only when asked for.
 *
 * A block of schema 5 is pieces of `PIECE_LINES` lines, each compressed alone (against its
 * channel's dictionary), behind a head that holds where each piece ends and the block's own index
 * (ADR 0021 §15): a lookup inflates the piece holding the lines it wants, a quarter of the block.
 * A block written before is one deflate stream of its lines (and, from schema 3, its index after
 * a NUL), inflated whole: one piece.
 *
 * The bytes stay outside the JS heap (a cache of decoded blocks is not copied by every
 * young-generation collection, which made a lookup's p99 several times its median), searched as
 * bytes. A piece of a schema-5 block is inflated into this thread's ring (`PieceSlab`), not a
 * buffer of its own, and inflated again if the ring has written over it since.
 */
export class DecodedBlock {
  /** Lines per piece (every line in the one piece of an older block). */
  private readonly perPiece: number;
  private readonly pieces: (Piece | undefined)[];
  /** The block's own index (see `lineIndex`), absent in blocks of schema 2. */
  private readonly index?: Buffer;
  private readonly origin: EventOrigin;
  private readonly parsed: (FlowEvent | undefined)[];
  readonly size: number;

  constructor(
    private readonly stored: StoredBlock,
    private readonly dictionary?: Buffer,
    rawBytes?: number,
  ) {
    this.origin = originOf(stored.source);
    const { head } = stored;
    if (head) {
      this.perPiece = head[1] as number;
      this.pieces = new Array<Piece | undefined>(head.readUInt16LE(2));
      this.size = head.readUInt16LE(4);
      this.index = head.subarray(HEAD_BYTES + PIECE_BYTES * this.pieces.length);
    } else {
      // Sized for the block's lines and index: zlib then makes one output buffer instead of 16 KiB
      // pieces joined at the end, about a third less time.
      const raw = inflateRawSync(
        stored.data,
        rawBytes === undefined ? undefined : { chunkSize: inflateChunk(rawBytes) },
      );
      const nul = raw.indexOf(0);
      const only = piece(nul === -1 ? raw : raw.subarray(0, nul));
      if (nul !== -1) this.index = raw.subarray(nul);
      this.pieces = [only];
      this.size = only.starts.length - 1;
      this.perPiece = Math.max(1, this.size);
    }
    this.parsed = new Array<FlowEvent | undefined>(this.size);
  }

  event(i: number): FlowEvent {
    let e = this.parsed[i];
    if (!e) {
      const { bytes, starts } = this.piece(Math.floor(i / this.perPiece));
      const j = i % this.perPiece;
      this.parsed[i] = e = this.parse(bytes.toString('utf8', starts[j], (starts[j + 1] as number) - 1));
    }
    return e;
  }

  /** Every event, in seq order. */
  all(): FlowEvent[] {
    const out: FlowEvent[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.event(i));
    return out;
  }

  /** The events that hold `value` among their link values. */
  holding(value: string): FlowEvent[] {
    if (this.index) {
      const out: FlowEvent[] = [];
      for (const i of linesWithHash(this.index, hash32(value) & 0xffff)) {
        const e = this.event(i);
        if (linksTo(e, value)) out.push(e);
      }
      return out;
    }
    // Without an index (schema 2: one piece): a value appears in a line exactly as JSON.stringify
    // writes it (then UTF-8), so one search through the block's bytes finds the lines to parse.
    const { bytes, starts } = this.piece(0);
    const needle = Buffer.from(JSON.stringify(value).slice(1, -1));
    const out: FlowEvent[] = [];
    let line = -1;
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
      const i = lineAt(starts, at);
      if (i === line) continue;
      line = i;
      const e = this.event(i);
      if (linksTo(e, value)) out.push(e);
    }
    return out;
  }

  /** Piece `p`, inflated on first use (a schema-5 block's pieces: see `BlockBuilder.build`). */
  private piece(p: number): Piece {
    let got = this.pieces[p];
    if (got && (got.slab === undefined || slab().holds(got.slab))) return got;
    const head = this.stored.head as Buffer;
    const at = HEAD_BYTES + PIECE_BYTES * p;
    const start = p === 0 ? 0 : head.readUInt32LE(at - PIECE_BYTES);
    const end = head.readUInt32LE(at);
    const raw = head.readUInt32LE(at + 4);
    const compressed = this.stored.data.subarray(start, end);
    const placed = slab().inflate(compressed, raw, this.dictionary);
    if (placed) got = piece(slab().bytes, placed.base, placed.base + raw, placed);
    else {
      // Larger than the ring takes, or this Node's zlib handle cannot be kept: a buffer of its
      // own, sized to the piece (nothing joined).
      const options = {
        chunkSize: Math.max(64, raw + 64),
        ...(this.dictionary ? { dictionary: this.dictionary } : {}),
      };
      got = piece(inflateRawSync(compressed, options));
    }
    this.pieces[p] = got;
    return got;
  }

  private parse(text: string): FlowEvent {
    // The parsed object is this event's own: completed in place, not copied (lookups parse many).
    const e = JSON.parse(text) as { payload: { value: string; sha256?: string }; source: EventOrigin; channel: string };
    e.payload.sha256 ??= sha256(e.payload.value);
    e.source = this.origin;
    e.channel = this.stored.channel;
    return e as unknown as FlowEvent;
  }
}

/** The line of a piece holding byte `offset`. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The lines whose link hashes include `h16` (the low 16 bits of a value's hash), from a block's
 * index (see `lineIndex`): one pass over its bytes, nothing allocated but the answer. A map of the
 * whole index, built once per block, cost more than the lookups it served and was garbage.
 */
function linesWithHash(index: Buffer, h16: number): number[] {
  const out: number[] = [];
  let o = 1;
  for (let line = 0; o < index.length; line++) {
    const end = o + 1 + 2 * (index[o] as number);
    for (o += 1; o < end; o += 2)
      if (((index[o] as number) | ((index[o + 1] as number) << 8)) === h16) {
        out.push(line);
        o = end;
        break;
      }
  }
  return out;
}

/** Reads and decodes block `id`; undefined when it is gone (retention deleted it since its row was read). */
export function readBlock(
  s: Statements,
  dictionaries: Dictionaries,
  id: number,
  rawBytes?: number,
): DecodedBlock | undefined {
  const stored = s.get(READ_BLOCK).get(id) as StoredBlock | undefined;
  if (!stored) return undefined;
  const dictionary = dictionaries.get(stored.dict);
  if (stored.dict !== null && !dictionary) {
    // Retention deleted the block, and with it its dictionary, between the two reads: it is gone.
    if (!s.get(READ_BLOCK).get(id)) return undefined;
    throw new Error(`The store's block ${id} names compression dictionary ${stored.dict}, which is missing.`);
  }
  return new DecodedBlock(stored, dictionary, rawBytes);
}
