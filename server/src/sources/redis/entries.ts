import type { RawHeaderValue, RawRecord, SourceGap } from '../contract.js';

/** Fields whose value is the payload, first found wins; the other fields become headers. */
export const DEFAULT_PAYLOAD_FIELDS: readonly string[] = ['payload', 'data', 'event', 'message'];

/** A stream entry id `ms-seq` as numbers that compare in stream order. */
export type EntryId = { readonly ms: bigint; readonly seq: bigint };

const MAX_SEQ = 18446744073709551615n;

export function parseId(text: string): EntryId {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m?.[1]) throw new Error(`"${text}" is not a stream entry id such as 1700000000000-0`);
  return { ms: BigInt(m[1]), seq: BigInt(m[2] ?? '0') };
}

export const formatId = (id: EntryId) => `${id.ms}-${id.seq}`;

/** Negative when `a` comes before `b` in a stream. */
export function compareIds(a: string, b: string): number {
  const x = parseId(a);
  const y = parseId(b);
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  return x.seq === y.seq ? 0 : x.seq < y.seq ? -1 : 1;
}

/** The id just before `text` (XREAD reads entries after the id it is given). */
export function idBefore(text: string): string {
  const { ms, seq } = parseId(text);
  if (seq > 0n) return formatId({ ms, seq: seq - 1n });
  return ms > 0n ? formatId({ ms: ms - 1n, seq: MAX_SEQ }) : '0-0';
}

type Reply = Buffer | string | null | Reply[];

const text = (v: Reply | undefined) => (Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'string' ? v : '');
const bytes = (v: Reply | undefined) => (Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : ''));

/**
 * One stream entry as a record: the first payload field present is the value (an empty field is
 * no payload, `null`: Redis has no null value), else all fields as one JSON object; the other
 * fields are headers. The entry id is the message id and its millisecond part the time.
 */
function toRecord(stream: string, id: string, fields: readonly Reply[], payloadFields: readonly string[]) {
  const pairs: [string, Buffer][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([text(fields[i]), bytes(fields[i + 1])]);
  const payloadAt = payloadFields.map((name) => pairs.findIndex(([f]) => f === name)).find((index) => index >= 0);
  let value: Uint8Array | null;
  const headers: Record<string, RawHeaderValue> = {};
  if (payloadAt === undefined) {
    value = Buffer.from(JSON.stringify(Object.fromEntries(pairs.map(([f, v]) => [f, v.toString('utf8')]))));
  } else {
    const payload = pairs[payloadAt]?.[1];
    value = payload && payload.length > 0 ? payload : null;
    for (const [i, [f, v]] of pairs.entries()) if (i !== payloadAt) headers[f] = v.toString('utf8');
  }
  const record: RawRecord = { channel: stream, messageId: id, timestamp: Number(parseId(id).ms), headers, value };
  return record;
}

/** An `XREAD` reply (RESP2, bulk strings as Buffers) as batches of records per stream, in order. */
export function readReply(
  reply: unknown,
  payloadFields: readonly string[],
): { stream: string; records: RawRecord[] }[] {
  if (!Array.isArray(reply)) return [];
  return (reply as Reply[][]).map(([key, entries]) => {
    const stream = text(key);
    const records = ((entries as Reply[][] | null) ?? []).map(([id, fields]) =>
      toRecord(stream, text(id), (fields as Reply[] | null) ?? [], payloadFields),
    );
    return { stream, records };
  });
}

/** A flat `[name, value, name, value…]` reply (XINFO) as an object; bulk strings as text. */
export function pairsOf(reply: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const v = reply[i + 1] as unknown;
    out[text(reply[i] as Reply)] = Buffer.isBuffer(v) ? v.toString('utf8') : v;
  }
  return out;
}

/** What `XINFO STREAM` tells about a stream's history. */
export type StreamInfo = {
  readonly length: number;
  readonly entriesAdded: number;
  readonly lastId: string;
  /** The oldest entry still held; undefined when the stream is empty. */
  readonly firstId?: string;
};

export function streamInfo(reply: unknown): StreamInfo {
  const p = pairsOf(reply);
  const first = p['first-entry'];
  const firstId = Array.isArray(first) ? text(first[0] as Reply) : undefined;
  return {
    length: Number(p.length ?? 0),
    entriesAdded: Number(p['entries-added'] ?? 0),
    lastId: text(p['last-generated-id'] as Reply) || '0-0',
    ...(firstId ? { firstId } : {}),
  };
}

/**
 * Entries trimmed (MAXLEN, XTRIM) before Flowscope read them. `known` counts the entries of the
 * stream up to `position` (read, or before where reading started); entries deleted beyond it,
 * while the oldest entry left is after `position`, were never read. Assumes deletes from the head
 * (trimming); an XDEL in the middle of unread entries counts the same way.
 */
export function trimmedGap(
  stream: string,
  info: StreamInfo,
  position: string,
  known: number,
): { gap: SourceGap; known: number } | undefined {
  const deleted = info.entriesAdded - info.length;
  const lost = deleted - known;
  if (lost <= 0) return undefined;
  if (info.firstId !== undefined && compareIds(info.firstId, position) <= 0) return undefined;
  const until = info.firstId ? ` up to ${info.firstId} (exclusive)` : '';
  return {
    known: deleted,
    gap: {
      channel: stream,
      reason: 'trimmed',
      detail: `${stream}: ${lost} entr${lost === 1 ? 'y' : 'ies'} after ${position}${until} were trimmed (MAXLEN/XTRIM) before Flowscope read them; Redis skips them without an error.`,
    },
  };
}
