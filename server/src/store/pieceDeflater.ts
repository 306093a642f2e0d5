import { constants, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { handlesReusable, keptFor, type Internals, type ZlibHandle } from './pieceSlab.js';

/**
 * Deflates a block's pieces (ADR 0021 §15) with a raw deflater kept per dictionary, reset rather
 * than made per piece, into one output area per block (ADR 0021 §18).
 *
 * `deflateRawSync` makes a zlib stream, its native handle and an output `Buffer` per call, and
 * closes them: about a third of a piece's time on 1 KiB lines, and a weak handle per piece for
 * the next young-generation collection to process. Here the lines are written (UTF-8) into one
 * input buffer, the kept handle deflates them straight into the block's output area, and the
 * block's data is copied out once. The output is the same bytes `deflateRawSync` gives. Where
 * Node's handle cannot be reused (`handlesReusable`), or a piece does not fit, `deflateRawSync`
 * does that piece.
 */
export class PieceDeflater {
  private input = Buffer.allocUnsafeSlow(64 * 1024);
  private output = Buffer.allocUnsafeSlow(64 * 1024);
  /** Compressed bytes of the block being built, from the start of `output`. */
  private used = 0;
  /** By dictionary (`null`: none); by its bytes, as a store's ids are its own. */
  private readonly deflaters = new Map<Buffer | null, Deflater>();
  /** Pieces `deflateRawSync` did. */
  private fallbacks = 0;

  constructor(private readonly level: number) {}

  /** How many pieces `deflateRawSync` did (none when the kept handles work and every piece fits). */
  get fellBack(): number {
    return this.fallbacks;
  }

  /** Whether pieces go through kept handles on this Node (otherwise each through `deflateRawSync`). */
  get keptHandles(): boolean {
    return handlesReusable() && deflatesReusable();
  }

  /** Starts a block: its pieces go one after another from the start of the output area. */
  begin(): void {
    this.used = 0;
  }

  /**
   * Deflates lines `from` to `to` (not included) joined by newlines, after the block's pieces so
   * far; says how long the piece is inflated (its UTF-8 bytes) and where its compressed bytes end.
   */
  piece(lines: readonly string[], from: number, to: number, dictionary?: Buffer): { inflated: number; end: number } {
    let most = to - from;
    for (let i = from; i < to; i++) most += 3 * (lines[i] as string).length;
    if (most > this.input.length) this.input = Buffer.allocUnsafeSlow(most);
    let length = 0;
    for (let i = from; i < to; i++) {
      if (i > from) this.input[length++] = 0x0a;
      length += this.input.write(lines[i] as string, length);
    }
    // Raw deflate adds at most a few bytes per 16 KB stored block; a piece that still does not fit
    // is done by deflateRawSync below.
    const room = length + (length >> 8) + 64;
    this.reserve(room);
    const written = this.kept(dictionary, length, room);
    if (written >= 0) this.used += written;
    else {
      this.fallbacks += 1;
      const options = dictionary ? { level: this.level, dictionary } : { level: this.level };
      const compressed = deflateRawSync(this.input.subarray(0, length), options);
      this.reserve(compressed.length);
      compressed.copy(this.output, this.used);
      this.used += compressed.length;
    }
    return { inflated: length, end: this.used };
  }

  /** The block's compressed pieces, in a buffer of their own. */
  take(): Buffer {
    return Buffer.from(this.output.subarray(0, this.used));
  }

  private reserve(bytes: number) {
    if (this.used + bytes <= this.output.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.output.length, this.used + bytes));
    this.output.copy(grown, 0, 0, this.used);
    this.output = grown;
  }

  /** The piece in `input` through the kept handle, after the block's pieces; -1 when it is not done there. */
  private kept(dictionary: Buffer | undefined, length: number, room: number): number {
    if (!this.keptHandles) return -1;
    const key = dictionary ?? null;
    const deflater = keptFor(this.deflaters, key, () => new Deflater(this.level, key));
    try {
      return deflater.into(this.input, length, this.output, this.used, room);
    } catch {
      // A handle that failed is let go; deflateRawSync does the piece (and says what is wrong, if anything).
      deflater.close();
      this.deflaters.delete(key);
      return -1;
    }
  }
}

/** A raw deflater kept for many pieces: reset (which sets its dictionary again), then one `writeSync`. */
class Deflater {
  private readonly stream: Internals;
  private readonly handle: ZlibHandle;
  /** After a write: the output room left, then the input left. */
  private readonly state: Uint32Array;
  private error: string | undefined;

  constructor(level: number, dictionary: Buffer | null) {
    this.stream = createDeflateRaw(dictionary ? { level, dictionary } : { level }) as unknown as Internals;
    this.handle = this.stream._handle as ZlibHandle;
    this.state = this.stream._writeState as Uint32Array;
    this.handle.onerror = (message) => {
      this.error = message;
    };
  }

  /** Deflates `length` bytes of `input` into `out` at `at`; the bytes written, or -1 when they did not fit in `room`. */
  into(input: Buffer, length: number, out: Buffer, at: number, room: number): number {
    this.error = undefined;
    this.handle.reset();
    this.handle.writeSync(constants.Z_FINISH, input, 0, length, out, at, room);
    const [outLeft, inLeft] = this.state as unknown as [number, number];
    if (this.error !== undefined) throw new Error(`A piece of a block could not be deflated (${this.error}).`);
    // Out of room before the end of the stream: not finished.
    return outLeft === 0 || inLeft !== 0 ? -1 : room - outLeft;
  }

  close(): void {
    this.stream.close();
  }
}

/** Whether a kept `DeflateRaw` handle gives what `deflateRawSync` gives, piece after piece (asked at the first piece). */
let deflates: boolean | undefined;
const deflatesReusable = (): boolean => (deflates ??= probeDeflate());

function probeDeflate(): boolean {
  try {
    const dictionary = Buffer.from('{"type":"order.placed","orderId":""}');
    const text = Buffer.from('{"type":"order.placed","orderId":"O-1"}\n'.repeat(3));
    const deflater = new Deflater(1, dictionary);
    const out = Buffer.alloc(1024);
    const first = deflater.into(text, text.length, out, 0, 512);
    const second = deflater.into(text, text.length, out, 512, 512);
    deflater.close();
    const expected = deflateRawSync(text, { level: 1, dictionary });
    return (
      first === expected.length &&
      out.subarray(0, first).equals(expected) &&
      out.subarray(512, 512 + second).equals(expected) &&
      inflateRawSync(expected, { dictionary }).equals(text)
    );
  } catch {
    return false;
  }
}
