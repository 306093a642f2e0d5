import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowEvent, Gap } from '@flowscope/shared';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase, Statements } from '../src/store/connection.js';
import { Dictionaries, readBlock } from '../src/store/decodedBlock.js';
import { api, eventually, startFlowscope, TOKEN } from './helpers.js';
import { killLeftovers, received, start } from './startCommand.js';

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'flowscope-resume-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-resume-'));
afterEach(killLeftovers);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every stored event's partition and offset, read from the file (after Flowscope exited). */
function storedOffsets(dataDir: string): string[] {
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const s = new Statements(db);
    const dictionaries = new Dictionaries(s);
    const ids = db.prepare('SELECT id FROM blocks').pluck().all() as number[];
    return ids
      .flatMap((id) => readBlock(s, dictionaries, id)?.all() ?? [])
      .map((e: FlowEvent) => `${e.partition}:${e.offset}`);
  } finally {
    db.close();
  }
}

describe('Kafka after kill -9 mid-ingest, then a restart on the same data directory', () => {
  it('goes on after the last stored offset: every record stored once, none lost, none twice', async () => {
    const topic = `resume-${randomBytes(3).toString('hex')}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const produce = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += 500) {
        const messages = Array.from({ length: Math.min(500, from + count - i) }, (_, j) => ({
          key: `order-${i + j}`,
          value: JSON.stringify({ orderId: `R-${i + j}`, pad: 'x'.repeat(400) }),
        }));
        await producer.send({ topic, messages });
      }
    };
    await produce(0, 20_000);
    const dataDir = join(scratch, 'kill9');
    const args = ['--kafka', brokers, '--topics', topic, '--from', 'earliest', '--data-dir', dataDir];
    try {
      const app = start('node', [...args, '--port', '0', '--token', TOKEN]);
      const url = await app.url;
      await eventually(async () => ((await received(url)) >= 5000 ? true : undefined), 60_000, '5,000 records read');
      process.kill(-(app.child.pid ?? 0), 'SIGKILL');
      await app.exited;
      await new Promise((r) => setTimeout(r, 500)); // the orphaned server is gone too
      const afterKill = storedOffsets(dataDir).length;
      expect(afterKill).toBeLessThan(20_000);

      await produce(20_000, 1000); // written while Flowscope was down
      const again = await startFlowscope(args);
      try {
        await eventually(
          async () => ((await received(again.url)) >= 21_000 - afterKill ? true : undefined),
          60_000,
          'the rest read',
        );
        const { gaps } = (await api<{ gaps: Gap[] }>(again, '/api/gaps')).body;
        // The window it was down was read, not lost: no gap says otherwise.
        expect(gaps.filter((g) => g.source === 'kafka:local' && g.reason === 'not-running')).toEqual([]);
      } finally {
        await again.close();
      }
      const offsets = storedOffsets(dataDir);
      expect(new Set(offsets).size).toBe(offsets.length);
      expect(offsets.length).toBe(21_000);
    } finally {
      await producer.disconnect();
    }
  }, 180_000);
});
