import type { FlowEvent } from '@flowscope/shared';
import { BlockBuilder, linkValues, toLineBatch, type Dictionary, type EncodedBlock, type LineBatch } from './blocks.js';
import { Dictionaries, readBlock, type DecodedBlock } from './decodedBlock.js';
import type { Statements } from './connection.js';
import { BLOCK_ID_STRIDE, hash32, LINK_LEVELS, SEGMENT_BLOCKS } from './schema.js';

export type RetentionOptions = {
  /** Events older than this (by arrival) are deleted. */
  readonly retentionMs: number;
  /** The database is kept under this many bytes by deleting the oldest events. */
  readonly maxBytes: number;
  /** Link rows in `links_recent` that start a merge into the next level (tests set a few). */
  readonly mergeLinkRows?: number;
  /** How many times larger each level of link rows may grow than the one before it (tests set 2). */
  readonly linkFanOut?: number;
};

/** Deflate level: 1 is about twice as fast as 6 on event JSON, for about 8 % more bytes. */
const LEVEL = 1;
/** Seal at least this often (the most a crash, not a clean stop, can lose)... */
const SEAL_MS = 1000;
/**
 * ... or once this many events wait. A seal is a transaction that closes every open block and
 * writes link rows all over the index: 4,096 made append a fifth slower (ADR 0021 §12).
 */
const SEAL_EVENTS = 16_384;
/**
 * Link rows gathered in `links_recent` before they are merged into the next level in hash order:
 * about 100,000 events' worth, a few MiB, within the connection's page cache (ADR 0021 §13).
 */
const MERGE_LINK_ROWS = 262_144;
/**
 * Each level of link rows holds at most this many times the rows of the one before it (ADR 0021
 * §17): 4M rows (about 1.6M events) in `links_1`, 67M (about 26M events) in `links_2`.
 */
const LINK_FAN_OUT = 16;
/** Link rows per insert statement. */
const LINK_ROWS = 128;

type BlockRow = { id: number; first_seq: number; last_seq: number; raw_bytes: number; channel: string; source: string };

/**
 * The one writer of a store: events go into a block per channel as they come; `seal` writes
 * every block (full or not) in one transaction, with their link rows. Runs on the writer thread,
 * or inline (offline export, benches, tests). Also applies retention, which rewrites blocks.
 */
export class BlockWriter {
  private readonly s: Statements;
  private readonly open = new Map<string, BlockBuilder>();
  private done: EncodedBlock[] = [];
  private nextSeg: number;
  private unsealed = 0;
  private lastSeal = Date.now();
  /** Writes blocks and their link rows; says what the levels of link rows hold after. */
  private readonly writeBlocks: (blocks: EncodedBlock[]) => Levels;
  /** What the levels of link rows hold, as of the last seal written (see `Levels`). */
  private levels: Levels;
  /** Channel (as `open` keys it) → its dictionary, null when it has none yet (looked up once). */
  private readonly channelDicts = new Map<string, Dictionary | null>();
  /** Dictionaries made since the last seal, written with it (the blocks that use them are too). */
  private pendingDicts: (Dictionary & { readonly source: string; readonly channel: string })[] = [];
  private nextDict: number;
  /** Dictionaries read to decode blocks for retention. */
  private readonly dictionaries: Dictionaries;

  /** `s`: the connection's kept statements (shared with the store's reads when inline). */
  constructor(
    s: Statements,
    private readonly options: RetentionOptions,
  ) {
    this.s = s;
    const db = s.db;
    const maxId = this.s.value('SELECT max(id) FROM blocks').get() as number | null;
    this.nextSeg = maxId === null ? 1 : Math.floor(maxId / BLOCK_ID_STRIDE) + 1;
    this.levels = this.readLevels();
    // Segments are never numbered again: retention may have deleted every block, but the levels
    // still say where their runs start, and a new segment must fall in the first level's run.
    this.nextSeg = Math.max(this.nextSeg, this.levels.starts[0] as number);
    // Past every id ever given (AUTOINCREMENT's record): a reader's cached dictionary stays true.
    this.nextDict =
      ((this.s.value("SELECT seq FROM sqlite_sequence WHERE name = 'dictionaries'").get() as number | undefined) ?? 0) +
      1;
    this.dictionaries = new Dictionaries(s);
    const insertBlock = this.s.get(
      'INSERT INTO blocks (id, first_seq, last_seq, n, min_ts, max_ts, min_received, max_received, raw_bytes, channel, source, dict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertData = this.s.get('INSERT INTO block_data (id, data, head) VALUES (?, ?, ?)');
    const insertDict = this.s.get('INSERT INTO dictionaries (id, source, channel, data) VALUES (?, ?, ?, ?)');
    // A segment is new and its rows are merged here first: plain inserts, in index order, many
    // rows per statement (one call into SQLite per LINK_ROWS rows, not per row), into the small
    // table of recent rows; a random hash into the large index made a seal write pages all over it.
    const insertLinks = this.s.get(
      `INSERT INTO links_recent (hash, seg, mask) VALUES ${Array.from({ length: LINK_ROWS }, () => '(?, ?, ?)').join(', ')}`,
    );
    const insertLink = this.s.get('INSERT INTO links_recent (hash, seg, mask) VALUES (?, ?, ?)');
    const mergeFull = levelMerger(
      this.s,
      this.options.mergeLinkRows ?? MERGE_LINK_ROWS,
      this.options.linkFanOut ?? LINK_FAN_OUT,
    );
    const params = new Array<number>(LINK_ROWS * 3);
    this.writeBlocks = db.transaction((blocks: EncodedBlock[]) => {
      for (const d of this.pendingDicts) insertDict.run(d.id, d.source, d.channel, d.bytes);
      let recent = this.levels.rows[0] as number;
      for (let at = 0; at < blocks.length; at += SEGMENT_BLOCKS) {
        const seg = this.nextSeg++;
        const masks = new Map<number, number>();
        blocks.slice(at, at + SEGMENT_BLOCKS).forEach((b, i) => {
          const id = seg * BLOCK_ID_STRIDE + i;
          insertBlock.run(
            id,
            b.firstSeq,
            b.lastSeq,
            b.n,
            b.minTs,
            b.maxTs,
            b.minReceived,
            b.maxReceived,
            b.rawBytes,
            b.channel,
            b.source,
            b.dict,
          );
          insertData.run(id, b.data, b.head);
          for (const h of b.hashes) masks.set(h, (masks.get(h) ?? 0) | (1 << i));
        });
        const hashes = [...masks.keys()].sort((a, b) => a - b);
        let k = 0;
        for (; k + LINK_ROWS <= hashes.length; k += LINK_ROWS) {
          for (let j = 0; j < LINK_ROWS; j++) {
            const h = hashes[k + j] as number;
            params[j * 3] = h;
            params[j * 3 + 1] = seg;
            params[j * 3 + 2] = masks.get(h) as number;
          }
          insertLinks.run(params);
        }
        for (; k < hashes.length; k++) insertLink.run(hashes[k], seg, masks.get(hashes[k] as number));
        recent += hashes.length;
      }
      const levels = { rows: [recent, ...this.levels.rows.slice(1)], starts: [...this.levels.starts] };
      mergeFull(levels, this.nextSeg);
      return levels;
    });
  }

  /**
   * The levels as the last merge left them (`meta`), the first level counted. A store without that
   * record (new, or of schema 5) has nothing in the middle levels, its newest segments in
   * `links_recent` (a merge of schema 5 moved all of it at once) and every older one in `links`.
   */
  private readLevels(): Levels {
    const recent = this.s.value('SELECT count(*) FROM links_recent').get() as number;
    const saved = this.s.value("SELECT value FROM meta WHERE key = 'link_levels'").get() as string | undefined;
    if (saved !== undefined) {
      const { rows, starts } = JSON.parse(saved) as Levels;
      return { rows: [recent, ...rows], starts };
    }
    const first = (this.s.value('SELECT min(seg) FROM links_recent').get() as number | null) ?? this.nextSeg;
    return { rows: [recent, 0, 0], starts: [first, first, first] };
  }

  /** Events not yet written. */
  get pending(): number {
    return this.unsealed;
  }

  /** Takes events (in seq order); a full block is compressed at once, written at the next seal. */
  add(events: readonly FlowEvent[], valueHashed?: readonly (boolean | undefined)[]): void {
    this.addLines(toLineBatch(events, valueHashed));
  }

  /** The same, for events already made into lines (the writer thread's input). */
  addLines(batch: LineBatch): void {
    const builders = batch.blocks.map(({ channel, source }) => `${source}\u0000${channel}`);
    for (let i = 0; i < batch.heads.length; i++) {
      const which = batch.blockOf[i] as number;
      const key = builders[which] as string;
      let b = this.open.get(key);
      if (!b) {
        const { channel, source } = batch.blocks[which] as LineBatch['blocks'][number];
        this.open.set(key, (b = new BlockBuilder(channel, source)));
      }
      b.addFrom(batch, i);
      this.unsealed += 1;
      if (b.full) {
        this.done.push(this.build(b, true));
        this.open.delete(key);
      }
    }
  }

  /**
   * Compresses a block against its channel's dictionary. A full block of a channel that has none
   * yet (`full`: a busy channel) is compressed without, and its lines make the channel's
   * dictionary from then on.
   */
  private build(b: BlockBuilder, full: boolean): EncodedBlock {
    const { channel, source } = b;
    const key = `${source}\u0000${channel}`;
    const dict = this.dictionaryOf(key, channel, source);
    const built = b.build(LEVEL, dict);
    if (!dict && full) {
      const bytes = dictionaryOf(b);
      if (bytes) {
        const made = { id: this.nextDict++, source, channel, bytes };
        this.pendingDicts.push(made);
        this.channelDicts.set(key, made);
      }
    }
    return built;
  }

  private dictionaryOf(key: string, channel: string, source: string): Dictionary | undefined {
    let dict = this.channelDicts.get(key);
    if (dict === undefined) {
      try {
        dict =
          (this.s
            .get('SELECT id, data AS bytes FROM dictionaries WHERE source = ? AND channel = ? ORDER BY id DESC LIMIT 1')
            .get(source, channel) as Dictionary | undefined) ?? null;
      } catch {
        // A read that fails (a disk error) costs this block its dictionary, not the writer its
        // blocks: it is compressed without, and the next one asks again.
        return undefined;
      }
      // A store of many quiet channels (a topic per device) keeps no map of them all.
      if (this.channelDicts.size >= 4096) this.channelDicts.clear();
      this.channelDicts.set(key, dict);
    }
    return dict ?? undefined;
  }

  /** Seals when enough events wait, or the oldest has waited long enough. */
  maybeSeal(): void {
    if (this.unsealed >= SEAL_EVENTS || (this.unsealed > 0 && Date.now() - this.lastSeal >= SEAL_MS)) this.seal();
  }

  /** Writes everything taken so far in one transaction. On failure nothing is lost: the next seal retries. */
  seal(): void {
    if (this.unsealed === 0) return;
    // Every open block built before any is taken: a failure leaves them open, none built twice.
    const built = [...this.open.values()].map((b) => this.build(b, false));
    this.open.clear();
    this.done.push(...built);
    const blocks = this.done;
    this.levels = this.writeBlocks(blocks);
    this.done = [];
    this.pendingDicts = [];
    this.unsealed = 0;
    this.lastSeal = Date.now();
  }

  /** Deletes events past retention, then the oldest while over the size cap. Returns how many went. */
  applyRetention(now: number): number {
    this.seal();
    let deleted = 0;
    const cutoff = now - this.options.retentionMs;
    deleted += this.deleteBefore(this.firstReceivedFrom(cutoff));
    while (this.s.usedBytes() > this.options.maxBytes) {
      const cut = this.seqAtFraction(1 / 20);
      if (cut === undefined) break;
      const n = this.deleteBefore(cut);
      deleted += n;
      if (n === 0) break;
    }
    if (deleted > 0) {
      // Retention dropped link rows, some of them recent: counted again (a small table).
      this.levels.rows[0] = this.s.value('SELECT count(*) FROM links_recent').get() as number;
      // Dictionaries no block uses any more go (a channel gets a new one with its next full block).
      this.s.get('DELETE FROM dictionaries WHERE NOT EXISTS (SELECT 1 FROM blocks WHERE dict = dictionaries.id)').run();
      this.channelDicts.clear();
    }
    return deleted;
  }

  /** The first seq received at or after `cutoff` (one past the last when none). */
  private firstReceivedFrom(cutoff: number): number {
    let first =
      (this.s.value('SELECT min(first_seq) FROM blocks WHERE min_received >= ?').get(cutoff) as number | null) ??
      Number.MAX_SAFE_INTEGER;
    const straddling = this.s
      .get('SELECT id, raw_bytes, channel, source FROM blocks WHERE min_received < ? AND max_received >= ?')
      .all(cutoff, cutoff) as BlockRow[];
    for (const row of straddling)
      for (const e of this.decode(row).all()) if (e.receivedAt >= cutoff) first = Math.min(first, e.seq);
    if (first !== Number.MAX_SAFE_INTEGER) return first;
    return ((this.s.value('SELECT max(last_seq) FROM blocks').get() as number | null) ?? 0) + 1;
  }

  /** The seq below which about `fraction` of the stored events are. */
  private seqAtFraction(fraction: number): number | undefined {
    const total = (this.s.value('SELECT coalesce(sum(n), 0) FROM blocks').get() as number) ?? 0;
    if (total === 0) return undefined;
    const target = Math.max(1, Math.floor(total * fraction));
    let seen = 0;
    for (const row of this.s.get('SELECT last_seq, n FROM blocks ORDER BY first_seq').iterate() as IterableIterator<{
      last_seq: number;
      n: number;
    }>) {
      seen += row.n;
      if (seen >= target) return row.last_seq + 1;
    }
    return undefined;
  }

  /** Deletes every event with a seq below `seq`: whole blocks, and the older part of a straddling one. */
  deleteBefore(seq: number): number {
    const tx = this.s.db.transaction(() => {
      let deleted = 0;
      const rows = this.s
        .get('SELECT id, first_seq, last_seq, raw_bytes, channel, source FROM blocks WHERE first_seq < ?')
        .all(seq) as BlockRow[];
      for (const row of rows) {
        const block = this.decode(row);
        const events = block.all();
        const kept = events.filter((e) => e.seq >= seq);
        deleted += events.length - kept.length;
        const keptValues = new Set<string>();
        for (const e of kept) for (const v of linkValues(e)) keptValues.add(v);
        const gone = new Set<number>();
        for (const e of events) for (const v of linkValues(e)) if (!keptValues.has(v)) gone.add(hash32(v));
        for (const h of keptValues) gone.delete(hash32(h));
        this.unlink(row.id, gone);
        if (kept.length === 0) {
          this.s.get('DELETE FROM blocks WHERE id = ?').run(row.id);
          this.s.get('DELETE FROM block_data WHERE id = ?').run(row.id);
        } else {
          const b = new BlockBuilder(row.channel, row.source);
          for (const e of kept) b.add(e);
          const r = this.build(b, false);
          this.s
            .get(
              'UPDATE blocks SET first_seq = ?, last_seq = ?, n = ?, min_ts = ?, max_ts = ?, min_received = ?, max_received = ?, raw_bytes = ?, dict = ? WHERE id = ?',
            )
            .run(
              r.firstSeq,
              r.lastSeq,
              r.n,
              r.minTs,
              r.maxTs,
              r.minReceived,
              r.maxReceived,
              r.rawBytes,
              r.dict,
              row.id,
            );
          this.s.get('UPDATE block_data SET data = ?, head = ? WHERE id = ?').run(r.data, r.head, row.id);
        }
      }
      return deleted;
    });
    return tx();
  }

  /** Clears a block's bit in the link rows of these hashes (and drops rows left with none). */
  private unlink(id: number, hashes: Set<number>) {
    const seg = Math.floor(id / BLOCK_ID_STRIDE);
    const keep = ~(1 << (id % BLOCK_ID_STRIDE));
    // A segment's rows are all in one level.
    const table = LINK_LEVELS[levelOf(this.levels, seg)];
    const clear = this.s.get(`UPDATE ${table} SET mask = mask & ? WHERE hash = ? AND seg = ?`);
    const drop = this.s.get(`DELETE FROM ${table} WHERE hash = ? AND seg = ? AND mask = 0`);
    for (const h of hashes) {
      clear.run(keep, h, seg);
      drop.run(h, seg);
    }
  }

  close(): void {
    this.s.db.close();
  }

  private decode(row: BlockRow): DecodedBlock {
    return readBlock(this.s, this.dictionaries, row.id, row.raw_bytes) as DecodedBlock;
  }
}

/**
 * What the levels of link rows (LINK_LEVELS) hold. Levels are merged whole, so each holds a run of
 * segments, newer than the next level's: level i holds segments from `starts[i]` up to the start
 * of the level before it (the first level: every newer one); the last level, everything older.
 * `rows`: the rows of each level but the last. The first is counted at open; the others are kept
 * in `meta` by the merges (a count of millions of rows would hold up the start). Retention's
 * deletes are not taken off them: a level merged a little early costs a little, and is counted
 * again from zero.
 */
type Levels = { rows: number[]; starts: number[] };

/** The level holding a segment's link rows. */
function levelOf({ starts }: Levels, seg: number): number {
  let i = 0;
  while (i < starts.length && seg < (starts[i] as number)) i += 1;
  return i;
}

/**
 * Merges each level of link rows past its bound into the next (LINK_LEVELS), which may fill the
 * next in turn, and updates `levels` (`nextSeg`: the segment the next seal starts with). The first
 * level's bound is `first`, each next one `fanOut` times the one before. The levels are kept in
 * `meta` when a merge changes them.
 */
function levelMerger(s: Statements, first: number, fanOut: number): (levels: Levels, nextSeg: number) => void {
  // A level into the next, in the next's index order, so each of its pages is written once per merge.
  const merges = LINK_LEVELS.slice(0, -1).map((level, i) => ({
    copy: s.get(
      `INSERT INTO ${LINK_LEVELS[i + 1]} (hash, seg, mask) SELECT hash, seg, mask FROM ${level} ORDER BY hash, seg`,
    ),
    clear: s.get(`DELETE FROM ${level}`),
  }));
  const save = s.get("INSERT OR REPLACE INTO meta (key, value) VALUES ('link_levels', ?)");
  return ({ rows, starts }, nextSeg) => {
    let merged = false;
    for (let i = 0, bound = first; i < merges.length && (rows[i] as number) >= bound; i++, bound *= fanOut) {
      const m = merges[i] as (typeof merges)[number];
      m.copy.run();
      m.clear.run();
      if (i + 1 < rows.length) rows[i + 1] = (rows[i + 1] as number) + (rows[i] as number);
      rows[i] = 0;
      // Empty now: the next level holds its segments, and it starts where the level before starts.
      starts[i] = i === 0 ? nextSeg : (starts[i - 1] as number);
      merged = true;
    }
    if (merged) save.run(JSON.stringify({ rows: rows.slice(1), starts }));
  };
}

/**
 * The channel's dictionary from this block, or none when its lines cannot make one: a dictionary
 * only makes blocks smaller, and the block is written either way (a later full block tries again).
 */
function dictionaryOf(b: BlockBuilder): Buffer | undefined {
  try {
    return b.dictionary();
  } catch {
    return undefined;
  }
}
