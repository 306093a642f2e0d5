import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HEAD_BYTES, PIECE_BYTES } from './blocks.js';
import { openDatabase } from './connection.js';

/**
 * Rewrites a closed store as an earlier Flowscope left it. Schemas up to 5: link rows in two
 * levels, `links_recent` and `links` (rows of the levels between moved into `links`, as a merge
 * put them there). Schemas 2 and 4 also: each block one deflate stream of its lines, with its own
 * index after a NUL (4) or without (2); no `dict` or `head` columns, no dictionaries.
 */
export function rewriteAsSchema(dir: string, schema: 2 | 4 | 5): void {
  const db = openDatabase(dir);
  try {
    db.exec(`INSERT INTO links SELECT * FROM links_1; INSERT INTO links SELECT * FROM links_2;
      DROP TABLE links_1; DROP TABLE links_2; DELETE FROM meta WHERE key = 'link_levels';
      UPDATE meta SET value = '${schema}' WHERE key = 'schema';`);
    if (schema === 5) return;
    type Row = { id: number; data: Buffer; head: Buffer; dict: number | null };
    const rows = db
      .prepare('SELECT d.id, d.data, d.head, b.dict FROM block_data d JOIN blocks b ON b.id = d.id')
      .all() as Row[];
    const dictionary = db.prepare('SELECT data FROM dictionaries WHERE id = ?').pluck();
    for (const { id, data, head, dict } of rows) {
      const count = head.readUInt16LE(2);
      const options = dict === null ? {} : { dictionary: dictionary.get(dict) as Buffer };
      const pieces: Buffer[] = [];
      for (let p = 0; p < count; p++) {
        const start = p === 0 ? 0 : head.readUInt32LE(HEAD_BYTES + PIECE_BYTES * (p - 1));
        pieces.push(inflateRawSync(data.subarray(start, head.readUInt32LE(HEAD_BYTES + PIECE_BYTES * p)), options));
      }
      const lines = Buffer.from(pieces.map((p) => p.toString('utf8')).join('\n'));
      const index = head.subarray(HEAD_BYTES + PIECE_BYTES * count);
      const old = deflateRawSync(schema === 4 ? Buffer.concat([lines, index]) : lines);
      db.prepare('UPDATE block_data SET data = ?, head = NULL WHERE id = ?').run(old, id);
    }
    db.exec(`DROP INDEX blocks_dict; ALTER TABLE blocks DROP COLUMN dict; ALTER TABLE block_data DROP COLUMN head; DROP TABLE dictionaries;
      UPDATE meta SET value = '${schema}' WHERE key = 'schema';`);
  } finally {
    db.close();
  }
}
