import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { causeRefs, type EventOrigin, type FlowEvent } from '@flowscope/shared';
import { hash32 } from './schema.js';

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
 * One line per event: the FlowEvent without what the block row carries (source, channel) and
 * without a payload hash that the value itself gives back (the common case: 64 hex characters
 * that do not compress).
 */
function line(e: FlowEvent): string {
  const { source: _source, channel: _channel, ...rest } = e;
  if (!e.payload.truncated && e.payload.sha256 === sha256(e.payload.value)) {
    const { sha256: _sha, ...payload } = e.payload;
    return JSON.stringify({ ...rest, payload });
  }
  return JSON.stringify(rest);
}

/** Collects one channel's events (in seq order) into a block; `full` says when to start the next. */
export class BlockBuilder {
  private readonly lines: string[] = [];
  private readonly hashes = new Set<number>();
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
    const l = line(e);
    if (this.lines.length === 0) this.firstSeq = e.seq;
    this.lastSeq = e.seq;
    this.lines.push(l);
    this.bytes += l.length + 1;
    this.minTs = Math.min(this.minTs, e.timestamp);
    this.maxTs = Math.max(this.maxTs, e.timestamp);
    this.minReceived = Math.min(this.minReceived, e.receivedAt);
    this.maxReceived = Math.max(this.maxReceived, e.receivedAt);
    for (const v of linkValues(e)) this.hashes.add(hash32(v));
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
      data: deflateRawSync(this.lines.join('\n'), { level }),
      hashes: this.hashes,
    };
  }
}

/** The block an event goes to: one per source and channel. */
export const blockKey = (e: FlowEvent): string => `${e.source.broker}\u0000${e.source.cluster}\u0000${e.channel}`;

/** A stored block, decompressed; events are parsed only when asked for. */
export class DecodedBlock {
  private readonly text: string;
  /** Where each line starts in `text`, and one past the end. */
  private readonly starts: number[] = [0];
  private readonly origin: EventOrigin;
  private readonly parsed: (FlowEvent | undefined)[];

  constructor(
    data: Buffer,
    private readonly channel: string,
    source: string,
  ) {
    this.text = inflateRawSync(data).toString('utf8');
    for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1)) this.starts.push(at + 1);
    this.starts.push(this.text.length + 1);
    this.origin = JSON.parse(source) as EventOrigin;
    this.parsed = new Array<FlowEvent | undefined>(this.starts.length - 1);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  event(i: number): FlowEvent {
    let e = this.parsed[i];
    if (!e) this.parsed[i] = e = this.parse(this.text.slice(this.starts[i], (this.starts[i + 1] as number) - 1));
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
    // A value appears in the text exactly as JSON.stringify writes it: one search through the
    // block finds the lines to parse.
    const needle = JSON.stringify(value).slice(1, -1);
    const out: FlowEvent[] = [];
    let line = -1;
    for (let at = this.text.indexOf(needle); at !== -1; at = this.text.indexOf(needle, at + 1)) {
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
