import { constants, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Where a flow lookup's pieces are inflated: one buffer per thread, written round and round, by
 * long-lived inflaters (ADR 0021 §16).
 *
 * `inflateRawSync` makes a zlib handle and an output `Buffer` per call. For a lookup (about nine
 * pieces) that was ~175 KB of memory outside the JS heap, which only a collection frees: every
 * 64 MB of it V8 ran two scavenges and a mark-compact of the whole heap ("external memory
 * pressure"). And every dropped handle is a weak handle whose callback runs in the next scavenge:
 * 3-5 ms of each scavenge here, nearly all of its pause. A piece inflated here allocates nothing:
 * an inflater per dictionary is reset and writes straight into the ring. A piece stays readable
 * until the ring comes round over its bytes; its block then inflates it again.
 */
export class PieceSlab {
  private ring: Buffer | undefined;
  /** How many times the ring has come round. */
  private round = 0;
  /** Where the next piece goes. */
  private at = 0;
  /**
   * By dictionary (`null`: none). By its bytes, not its id: ids are a store file's own, and a
   * process may read more than one file.
   */
  private readonly inflaters = new Map<Buffer | null, Inflater>();

  constructor(private readonly size: number) {}

  /** The ring (made at the first piece inflated into it). */
  get bytes(): Buffer {
    return (this.ring ??= Buffer.allocUnsafeSlow(this.size));
  }

  /**
   * Inflates `compressed` (raw deflate, `length` bytes inflated) into the ring; undefined when the
   * piece is larger than a quarter of it, or zlib's handle cannot be reused on this Node (the
   * caller inflates it into a buffer of its own).
   */
  inflate(compressed: Buffer, length: number, dictionary?: Buffer): SlabPiece | undefined {
    // One byte more than the piece: a stream that would go on past its length is caught.
    const room = length + 1;
    if (room > this.size / 4) return undefined;
    const inflater = this.inflater(dictionary);
    if (!inflater) return undefined;
    if (this.at + room > this.size) {
      this.round += 1;
      this.at = 0;
    }
    const base = this.at;
    // Taken before the write: a piece that fails half-way has still written over what was there.
    this.at += room;
    inflater.into(compressed, this.bytes, base, length);
    return { round: this.round, base };
  }

  /** Whether a piece's bytes are still as inflated (the ring has not written over them since). */
  holds(piece: SlabPiece): boolean {
    return piece.round === this.round || (piece.round === this.round - 1 && piece.base >= this.at);
  }

  private inflater(dictionary?: Buffer): Inflater | undefined {
    if (!handlesReusable()) return undefined;
    return keptFor(this.inflaters, dictionary ?? null, (key) => new Inflater(key));
  }
}

/**
 * The zlib stream kept for a dictionary, made if new. Dictionaries are few (one per busy channel),
 * but a thread may meet many over time: past 64, all are closed and let go.
 */
export function keptFor<S extends { close(): void }>(
  kept: Map<Buffer | null, S>,
  key: Buffer | null,
  make: (key: Buffer | null) => S,
): S {
  let stream = kept.get(key);
  if (!stream) {
    if (kept.size >= 64) {
      for (const old of kept.values()) old.close();
      kept.clear();
    }
    kept.set(key, (stream = make(key)));
  }
  return stream;
}

/** A piece's place in the ring: the round it was written in and where it starts. */
export type SlabPiece = { readonly round: number; readonly base: number };

/** Room for the pieces of the blocks a store caches (64 blocks of up to four pieces of ~16 KB). */
export const SLAB_BYTES = 8 * 1024 * 1024;

/** The native zlib stream under Node's `InflateRaw` and `DeflateRaw` (the same on Node 20, 22 and 24). */
export type ZlibHandle = {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
};

/**
 * A raw inflater kept for many pieces (against one dictionary): reset, then one `writeSync` into
 * the caller's buffer. Node's sync API closes its handle after each call, so this drives the handle
 * of an `InflateRaw` stream itself; `handlesReusable` checks once, at the first piece, that this
 * Node allows it.
 */
class Inflater {
  private readonly stream: Internals;
  private readonly handle: ZlibHandle;
  /** After a write: the output room left, then the input left. */
  private readonly state: Uint32Array;
  private error: string | undefined;

  constructor(dictionary: Buffer | null) {
    this.stream = createInflateRaw(dictionary ? { dictionary } : {}) as unknown as Internals;
    this.handle = this.stream._handle as ZlibHandle;
    this.state = this.stream._writeState as Uint32Array;
    this.handle.onerror = (message) => {
      this.error = message;
    };
  }

  /** Inflates `input` into `out` at `at`: exactly `length` bytes, with one byte of room past them. */
  into(input: Buffer, out: Buffer, at: number, length: number): void {
    this.error = undefined;
    this.handle.reset();
    this.handle.writeSync(constants.Z_FINISH, input, 0, input.length, out, at, length + 1);
    const [outLeft, inLeft] = this.state as unknown as [number, number];
    if (this.error !== undefined || outLeft !== 1 || inLeft !== 0) {
      const what =
        this.error ??
        `${outLeft === 0 ? 'more than' : length + 1 - outLeft} bytes where its block's head says ${length}`;
      throw new Error(`A stored piece could not be inflated (${what}); the store file may be damaged.`);
    }
  }

  close(): void {
    this.stream.close();
  }
}

export type Internals = { _handle?: Partial<ZlibHandle>; _writeState?: unknown; close(): void };

/** Whether this Node's `InflateRaw` has the handle `Inflater` drives, and it inflates right (asked at the first piece, not at start-up). */
let reusable: boolean | undefined;
export const handlesReusable = (): boolean => (reusable ??= probeHandles());

function probeHandles(): boolean {
  try {
    const probe = createInflateRaw() as unknown as Internals;
    const ok =
      typeof probe._handle?.writeSync === 'function' &&
      typeof probe._handle.reset === 'function' &&
      probe._writeState instanceof Uint32Array;
    probe.close();
    if (!ok) return false;
    const dictionary = Buffer.from('{"type":"order.placed","orderId":""}');
    const text = Buffer.from('{"type":"order.placed","orderId":"O-1"}\n'.repeat(3));
    const compressed = deflateRawSync(text, { dictionary });
    const out = Buffer.alloc(text.length * 2);
    const inflater = new Inflater(dictionary);
    inflater.into(compressed, out, 7, text.length);
    inflater.into(compressed, out, 0, text.length);
    inflater.close();
    return out.subarray(0, text.length).equals(text) && inflateRawSync(compressed, { dictionary }).equals(text);
  } catch {
    return false;
  }
}
