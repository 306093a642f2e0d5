import { hash } from 'node:crypto';
import { causeRefs, type FlowEvent } from '@flowscope/shared';
import { channelDictionary } from './dictionary.js';
import { PieceDeflater } from './pieceDeflater.js';
import { hash32 } from './schema.js';

/** Events per block at most: small enough that a lookup decodes a block in well under a millisecond. */
const BLOCK_EVENTS = 64;
/** Uncompressed bytes per block at most (big payloads make short blocks). */
const BLOCK_RAW_BYTES = 256 * 1024;

/** Lines per piece of a block: a lookup inflates the piece holding the line it wants (ADR 0021 §15). */
const PIECE_LINES = 16;
/** The head of a block (schema 5): format (1), lines per piece, pieces, lines (u16 each), reserved. */
export const HEAD_BYTES = 8;
const HEAD_FORMAT = 1;
/** Per piece, in a block's head: where its compressed bytes end in the data, and its inflated bytes (u32 each). */
export const PIECE_BYTES = 8;

/** A channel's deflate dictionary, as its blocks name it. */
export type Dictionary = { readonly id: number; readonly bytes: Buffer };

/** A block as written: one channel of one source, events in seq order, compressed together. */
export type EncodedBlock = {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly n: number;
  readonly minTs: number;
  readonly maxTs: number;
  readonly minReceived: number;
  readonly maxReceived: number;
  readonly rawBytes: number;
  readonly channel: string;
  readonly source: string;
  /** The pieces, compressed, one after another (see `build`). */
  readonly data: Buffer;
  /** Where each piece ends and how long it is inflated, then the block's own index (see `build`). */
  readonly head: Buffer;
  /** The channel dictionary the pieces were compressed against (null: none). */
  readonly dict: number | null;
  /** Hashes of every value the block's events can be found by. */
  readonly hashes: ReadonlySet<number>;
};

/** One-shot: no Hash object (and its weak handle, which young-generation collections process) per call. */
export const sha256 = (text: string) => hash('sha256', text, 'hex');

/**
 * One line per event, made in two parts. The head is the event as JSON without its seq (put first
 * by `joinLine`), without what the block row carries (source, channel), without a payload hash
 * that the value itself gives back (the common case: 64 hex characters that do not compress), and
 * without the payload's value, whose place is at the very end (`payload` is written last, `value`
 * last in it). `valueHashed` says whether the hash is the value's, when normalize knew (see
 * DecodedPayload); otherwise it is computed here. `joinLine` adds the seq and the value: escaping
 * the value is most of the work of a line, and the writer thread does that. A head needs no seq,
 * so a source thread makes it (ADR 0024 §9).
 */
export function lineHead(e: Omit<FlowEvent, 'seq'> & { seq?: number }, valueHashed?: boolean): string {
  const payload = e.payload;
  const hashed = valueHashed ?? (!payload.truncated && payload.sha256 === sha256(payload.value));
  // JSON of a copy made member by member: one JSON.stringify (on a plain object, its fast path)
  // takes half the time of a string joined from one per member, and a third of a copy by spreads.
  const head: Record<string, unknown> = {};
  const members = e as Readonly<Record<string, unknown>>;
  for (const name in members) {
    const v = members[name];
    if (v !== undefined && !NOT_IN_HEAD.has(name)) head[name] = v;
  }
  const described = payload as Readonly<Record<string, unknown>>;
  const inner: Record<string, unknown> = {};
  for (const name in described) {
    const v = described[name];
    if (v !== undefined && name !== 'value' && !(hashed && name === 'sha256')) inner[name] = v;
  }
  head.payload = inner;
  return JSON.stringify(head);
}

/** What an event's line head leaves out: its block row's, or put in by `joinLine` (seq, value). */
const NOT_IN_HEAD = new Set(['seq', 'source', 'channel', 'payload']);

/**
 * A head, its seq and its payload value as one line (a head holds an id after its `{` and ends
 * with the payload's and the event's `}`).
 */
const joinLine = (seq: number, head: string, value: string): string =>
  `{"seq":${seq},${head.slice(1, -2)},"value":${JSON.stringify(value)}}}`;

/**
 * Events as the writer takes them: each one's line head (made where the event is, on the main
 * thread, so the writer thread neither parses nor serializes the event again) and payload value,
 * and what its block row and the index need. Strings and typed arrays: a cheap copy to the writer.
 */
export type LineBatch = {
  readonly heads: string[];
  readonly values: string[];
  readonly seqs: Float64Array;
  readonly timestamps: Float64Array;
  readonly received: Float64Array;
  /** The block (source and channel) each event goes to, as an index into `blocks`. */
  readonly blockOf: Uint32Array;
  readonly blocks: { readonly channel: string; readonly source: string }[];
  /** Hashes of every event's link values: event i's run up to `hashEnds[i]`. */
  readonly hashes: Int32Array;
  readonly hashEnds: Uint32Array;
};

/**
 * Makes a LineBatch one event at a time, where the event is taken: ingest works in slices of a few
 * milliseconds, and a thousand line heads made at once when the batch was sent held the main
 * thread for 10-40 ms.
 */
export class LineBatchBuilder {
  private readonly heads: string[] = [];
  private readonly values: string[] = [];
  private readonly seqs: number[] = [];
  private readonly timestamps: number[] = [];
  private readonly received: number[] = [];
  private readonly blockOf: number[] = [];
  private readonly blocks: { channel: string; source: string }[] = [];
  private readonly blockIndex = new Map<string, number>();
  private readonly hashes: number[] = [];
  private readonly hashEnds: number[] = [];

  get size(): number {
    return this.heads.length;
  }

  /** `valueHashed`: as for `lineHead`. `head`: the event's line head, when made already. */
  add(e: FlowEvent, valueHashed?: boolean, head?: string): void {
    const key = blockKey(e);
    let b = this.blockIndex.get(key);
    if (b === undefined) {
      b = this.blocks.length;
      this.blockIndex.set(key, b);
      this.blocks.push({ channel: e.channel, source: JSON.stringify(e.source) });
    }
    this.blockOf.push(b);
    this.heads.push(head ?? lineHead(e, valueHashed));
    this.values.push(e.payload.value);
    this.seqs.push(e.seq);
    this.timestamps.push(e.timestamp);
    this.received.push(e.receivedAt);
    for (const v of linkValues(e)) this.hashes.push(hash32(v));
    this.hashEnds.push(this.hashes.length);
  }

  /** What was added, as a batch (a builder makes one batch). */
  batch(): LineBatch {
    return {
      heads: this.heads,
      values: this.values,
      seqs: Float64Array.from(this.seqs),
      timestamps: Float64Array.from(this.timestamps),
      received: Float64Array.from(this.received),
      blockOf: Uint32Array.from(this.blockOf),
      blocks: this.blocks,
      hashes: Int32Array.from(this.hashes),
      hashEnds: Uint32Array.from(this.hashEnds),
    };
  }
}

/** `valueHashed[i]`: as for `lineHead`, for event i. */
export function toLineBatch(events: readonly FlowEvent[], valueHashed?: readonly (boolean | undefined)[]): LineBatch {
  const builder = new LineBatchBuilder();
  events.forEach((e, i) => builder.add(e, valueHashed?.[i]));
  return builder.batch();
}

/**
 * A block's own index, in its head (schema 5; in schemas 3 and 4, compressed after its lines): a
 * NUL (JSON lines never hold one), then per event the number of its link values (one byte) and the
 * low 16 bits of each one's hash (two bytes each): a lookup parses the few lines whose hashes
 * match instead of searching the whole block (about 3 MB of bytes per flow lookup at 64 events
 * per block), for about 10 B per event on disk (hashes do not compress). Blocks of schema 2 have
 * no index and are searched. `perLine`: count, hashes, count, …
 */
function lineIndex(perLine: readonly number[]): Buffer {
  let size = 1;
  for (let at = 0; at < perLine.length; at += (perLine[at] as number) + 1)
    size += 1 + 2 * Math.min(255, perLine[at] as number);
  const out = Buffer.allocUnsafe(size);
  out[0] = 0;
  let o = 1;
  for (let at = 0; at < perLine.length; at += (perLine[at] as number) + 1) {
    const n = Math.min(255, perLine[at] as number);
    out[o++] = n;
    for (let k = 1; k <= n; k++) o = out.writeUInt16LE((perLine[at + k] as number) & 0xffff, o);
  }
  return out;
}

/** The block an event goes to: one per source and channel. */
const blockKey = (e: FlowEvent): string => `${e.source.broker}\u0000${e.source.cluster}\u0000${e.channel}`;

/** The thread's piece deflaters, by level (a writer uses one). */
const deflaters = new Map<number, PieceDeflater>();
const deflaterAt = (level: number): PieceDeflater => {
  let d = deflaters.get(level);
  if (!d) deflaters.set(level, (d = new PieceDeflater(level)));
  return d;
};

/** Collects one channel's events (in seq order) into a block; `full` says when to start the next. */
export class BlockBuilder {
  private readonly lines: string[] = [];
  private readonly hashes = new Set<number>();
  /** Each event's link hashes, for the block's own index: a count, then the hashes (see `lineIndex`). */
  private readonly perLine: number[] = [];
  private bytes = 0;
  private firstSeq = 0;
  private lastSeq = 0;
  private minTs = Number.MAX_SAFE_INTEGER;
  private maxTs = Number.MIN_SAFE_INTEGER;
  private minReceived = Number.MAX_SAFE_INTEGER;
  private maxReceived = Number.MIN_SAFE_INTEGER;

  constructor(
    readonly channel: string,
    readonly source: string,
  ) {}

  add(e: FlowEvent): void {
    this.addLine(e.seq, e.timestamp, e.receivedAt, joinLine(e.seq, lineHead(e), e.payload.value));
    const hashes = [...linkValues(e)].map(hash32);
    this.perLine.push(hashes.length, ...hashes);
    for (const h of hashes) this.hashes.add(h);
  }

  /** Event `i` of a batch (its line, times and link hashes). */
  addFrom(batch: LineBatch, i: number): void {
    this.addLine(
      batch.seqs[i] as number,
      batch.timestamps[i] as number,
      batch.received[i] as number,
      joinLine(batch.seqs[i] as number, batch.heads[i] as string, batch.values[i] as string),
    );
    const start = i === 0 ? 0 : (batch.hashEnds[i - 1] as number);
    const end = batch.hashEnds[i] as number;
    this.perLine.push(end - start);
    for (let h = start; h < end; h++) {
      this.hashes.add(batch.hashes[h] as number);
      this.perLine.push(batch.hashes[h] as number);
    }
  }

  private addLine(seq: number, timestamp: number, receivedAt: number, l: string): void {
    if (this.lines.length === 0) this.firstSeq = seq;
    this.lastSeq = seq;
    this.lines.push(l);
    this.bytes += l.length + 1;
    if (timestamp < this.minTs) this.minTs = timestamp;
    if (timestamp > this.maxTs) this.maxTs = timestamp;
    if (receivedAt < this.minReceived) this.minReceived = receivedAt;
    if (receivedAt > this.maxReceived) this.maxReceived = receivedAt;
  }

  get size(): number {
    return this.lines.length;
  }

  get full(): boolean {
    return this.lines.length >= BLOCK_EVENTS || this.bytes >= BLOCK_RAW_BYTES;
  }

  /**
   * The block, compressed: pieces of `PIECE_LINES` lines, each deflated alone against the
   * channel's dictionary when it has one, behind a head (see `HEAD_BYTES`): a lookup inflates one
   * piece, not the block (ADR 0021 §15).
   */
  build(level: number, dictionary?: Dictionary): EncodedBlock {
    const count = Math.ceil(this.lines.length / PIECE_LINES);
    const index = lineIndex(this.perLine);
    const head = Buffer.allocUnsafe(HEAD_BYTES + PIECE_BYTES * count + index.length);
    head[0] = HEAD_FORMAT;
    head[1] = PIECE_LINES;
    head.writeUInt16LE(count, 2);
    head.writeUInt16LE(this.lines.length, 4);
    head.writeUInt16LE(0, 6);
    const deflater = deflaterAt(level);
    deflater.begin();
    for (let p = 0; p < count; p++) {
      const to = Math.min(this.lines.length, (p + 1) * PIECE_LINES);
      const { inflated, end } = deflater.piece(this.lines, p * PIECE_LINES, to, dictionary?.bytes);
      head.writeUInt32LE(end, HEAD_BYTES + PIECE_BYTES * p);
      head.writeUInt32LE(inflated, HEAD_BYTES + PIECE_BYTES * p + 4);
    }
    index.copy(head, HEAD_BYTES + PIECE_BYTES * count);
    return {
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      n: this.lines.length,
      minTs: this.minTs,
      maxTs: this.maxTs,
      minReceived: this.minReceived,
      maxReceived: this.maxReceived,
      rawBytes: this.bytes,
      channel: this.channel,
      source: this.source,
      data: deflater.take(),
      head,
      dict: dictionary?.id ?? null,
      hashes: this.hashes,
    };
  }

  /** A deflate dictionary for the block's channel, from its lines (see `channelDictionary`). */
  dictionary(): Buffer {
    return channelDictionary(this.lines);
  }
}

/** The values another event can be connected to this one by: its ids, its cause, its key values. */
export function linkValues(e: FlowEvent): Set<string> {
  // Every id a cause can be named by (span ids too), so a rebuilt flow has the live flow's links.
  const values = new Set<string>(causeRefs(e));
  if (e.correlation.causationId) values.add(e.correlation.causationId);
  for (const k of e.correlation.keys) values.add(k.value);
  return values;
}

/** Whether `value` is one of the event's link values (see `linkValues`), without making the set. */
export function linksTo(e: FlowEvent, value: string): boolean {
  const c = e.correlation;
  if (e.id === value || c.messageId === value || c.spanId === value || c.causationId === value) return true;
  for (const k of c.keys) if (k.value === value) return true;
  return false;
}
