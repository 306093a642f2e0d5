import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { causeRefs, type EventOrigin, type FlowEvent } from '@flowscope/shared';
import { hash32 } from './schema.js';

const NEWLINE = 0x0a;

/** Events per block at most: small enough that a lookup decodes a block in well under a millisecond. */
const BLOCK_EVENTS = 64;
/** Uncompressed bytes per block at most (big payloads make short blocks). */
const BLOCK_RAW_BYTES = 256 * 1024;

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
  readonly data: Buffer;
  /** Hashes of every value the block's events can be found by. */
  readonly hashes: ReadonlySet<number>;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

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
 * A block's own index, after its lines: a NUL (JSON lines never hold one), then per event the
 * number of its link values (one byte) and the low 16 bits of each one's hash (two bytes each):
 * a lookup parses the few lines whose hashes match instead of searching the whole block (about
 * 3 MB of bytes per flow lookup at 64 events per block), for about 10 B per event on disk.
 * Blocks written before it have no index and are searched. `perLine`: count, hashes, count, …
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
    private readonly channel: string,
    private readonly source: string,
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

  build(level: number): EncodedBlock {
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
      data: deflateRawSync(Buffer.concat([Buffer.from(this.lines.join('\n')), lineIndex(this.perLine)]), { level }),
      hashes: this.hashes,
    };
  }
}

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

/** Room for a block's lines of `rawBytes` (mostly ASCII) and for its index. */
const inflateChunk = (rawBytes: number): number => Math.max(1024, Math.ceil(rawBytes * 1.0625) + 2048);

/** The block an event goes to: one per source and channel. */
const blockKey = (e: FlowEvent): string => `${e.source.broker}\u0000${e.source.cluster}\u0000${e.channel}`;

/**
 * A stored block, decompressed; events are parsed only when asked for. The bytes stay a Buffer
 * (outside the JS heap: a cache of decoded blocks is not copied by every young-generation
 * collection, which made a lookup's p99 several times its median), searched as bytes.
 */
export class DecodedBlock {
  private readonly bytes: Buffer;
  /** The block's own index (see `lineIndex`), absent in blocks written before it, and read from it. */
  private readonly index?: Buffer;
  /** Where each line starts in `bytes`, and one past the end. */
  private readonly starts: number[] = [0];
  private readonly origin: EventOrigin;
  private readonly parsed: (FlowEvent | undefined)[];

  constructor(
    data: Buffer,
    private readonly channel: string,
    source: string,
    rawBytes?: number,
  ) {
    // Sized for the block's lines and index (`raw_bytes` counts UTF-16 units): zlib then makes
    // one output buffer instead of 16 KiB pieces joined at the end, about a third less time.
    const raw = inflateRawSync(data, rawBytes === undefined ? undefined : { chunkSize: inflateChunk(rawBytes) });
    const nul = raw.indexOf(0);
    this.bytes = nul === -1 ? raw : raw.subarray(0, nul);
    if (nul !== -1) this.index = raw.subarray(nul);
    for (let at = this.bytes.indexOf(NEWLINE); at !== -1; at = this.bytes.indexOf(NEWLINE, at + 1))
      this.starts.push(at + 1);
    this.starts.push(this.bytes.length + 1);
    this.origin = originOf(source);
    this.parsed = new Array<FlowEvent | undefined>(this.starts.length - 1);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  event(i: number): FlowEvent {
    let e = this.parsed[i];
    if (!e)
      this.parsed[i] = e = this.parse(this.bytes.toString('utf8', this.starts[i], (this.starts[i + 1] as number) - 1));
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
        if (linkValues(e).has(value)) out.push(e);
      }
      return out;
    }
    // Without an index: a value appears in a line exactly as JSON.stringify writes it (then
    // UTF-8), so one search through the block's bytes finds the lines to parse.
    const needle = Buffer.from(JSON.stringify(value).slice(1, -1));
    const out: FlowEvent[] = [];
    let line = -1;
    for (let at = this.bytes.indexOf(needle); at !== -1; at = this.bytes.indexOf(needle, at + 1)) {
      const i = this.lineAt(at);
      if (i === line) continue;
      line = i;
      const e = this.event(i);
      if (linkValues(e).has(value)) out.push(e);
    }
    return out;
  }

  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private parse(text: string): FlowEvent {
    const stored = JSON.parse(text) as Omit<FlowEvent, 'source' | 'channel'>;
    const payload =
      stored.payload.sha256 === undefined
        ? { ...stored.payload, sha256: sha256(stored.payload.value) }
        : stored.payload;
    return { ...stored, source: this.origin, channel: this.channel, payload } as FlowEvent;
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
