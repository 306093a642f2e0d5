/**
 * What the fuzz suite (fuzz.test.ts) found, each as the smallest record that showed it: before
 * the fixes, each of these threw out of ingest (the rest of its batch lost), held the event loop,
 * or stored an event that an exported capture could not replay.
 */
import { epochMs, parseCapture, toCapture } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import type { RawRecord, UnsequencedEvent } from '../sources/contract.js';
import { admitEvent } from './admit.js';
import { compileMasks } from './mask.js';
import { normalizeRecord, UNNAMED_CHANNEL } from './normalize.js';
import { createPipeline } from './pipeline.js';

const NOW = 1_764_000_000_000;
const origin = { broker: 'rabbitmq' as const, cluster: 'local' };
const record = (over: Partial<RawRecord> = {}): RawRecord => ({
  channel: 'orders',
  messageId: 'm-1',
  timestamp: NOW,
  headers: {},
  value: '{"orderId":"A-1"}',
  ...over,
});
const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const masks = compileMasks([{ target: 'payload', path: 'card.number' }]);

describe('hostile records found by fuzzing', () => {
  it('masks a payload nested 100,000 levels deep whole, where it cannot mask field by field', () => {
    // structuredClone threw "Maximum call stack size exceeded" out of normalize.
    const { event } = normalizeRecord(record({ value: deep(100_000) }), origin, NOW, {
      maxPayloadBytes: 65_536,
      masks,
    });
    expect(event.payload).toMatchObject({ encoding: 'text', value: '[masked]', size: 600_001 });
    expect(event.payload.note).toMatch(/nested too deeply/);
    const replayed = admitEvent(
      { ...event, payload: { encoding: 'json', value: deep(100_000), size: 600_001, truncated: false, sha256: 'x' } },
      NOW,
      { maxPayloadBytes: 1_000_000, masks },
    );
    expect(replayed.payload.value).toBe('[masked]');
  });

  it('takes a header named __proto__ as a broker client left it, without its prototype as headers', () => {
    // amqplib's headers object after `headers['__proto__'] = Buffer`: the bytes became inherited
    // fields ('0', '1', …) that normalize read as header values, numbers, and threw on.
    const headers: Record<string, Uint8Array | string> = { 'correlation-id': 'C-1' };
    headers['__proto__'] = new Uint8Array(Buffer.from('no'));
    const { event } = normalizeRecord(record({ headers }), origin, NOW, { maxPayloadBytes: 65_536 });
    expect(Object.keys(event.headers)).toEqual(['correlation-id']);
    const own = JSON.parse('{"__proto__":"kept","x":"y"}') as Record<string, string>;
    const kept = normalizeRecord(record({ headers: own }), origin, NOW, { maxPayloadBytes: 65_536 }).event;
    expect(JSON.stringify(kept.headers)).toBe('{"__proto__":"kept","x":"y"}');
  });

  it('names a channel without a name, so its events can be exported and replayed', () => {
    // Redis allows an empty stream key; a capture line whose channel is empty is refused.
    const { event } = normalizeRecord(record({ channel: '' }), origin, NOW, { maxPayloadBytes: 65_536 });
    expect(event.channel).toBe(UNNAMED_CHANNEL);
    const read = parseCapture(toCapture([{ ...event, seq: 1 } as never], 'all', NOW));
    expect(read.errors).toEqual([]);
  });

  it('cuts a replayed text payload over --max-payload on a character boundary, within the cap', () => {
    // Cut inside a two-byte character, it came back as U+FFFD (three bytes): 65,538 bytes kept.
    const value = `${'x'.repeat(65_535)}é${'y'.repeat(10)}`;
    const e: UnsequencedEvent = {
      ...normalizeRecord(record(), origin, NOW, { maxPayloadBytes: 65_536 }).event,
      payload: { encoding: 'text', value, size: 65_547, truncated: false, sha256: 'x' },
    };
    const admitted = admitEvent(e, NOW, { maxPayloadBytes: 65_536 });
    expect(admitted.payload.value).toBe('x'.repeat(65_535));
    expect(admitted.payload.truncated).toBe(true);
  });

  it('lets other work run between the records of a small batch of megabytes', async () => {
    // A batch of up to 256 records was taken in one turn: 20 payloads of megabytes held the loop
    // for hundreds of milliseconds. Now the clock is read after every record.
    const { ingest } = createPipeline({ bufferSize: 100, maxPayloadBytes: 65_536, sliceMs: 0 });
    const big = Buffer.from(`{"orderId":"A-1","blob":"${'z'.repeat(1024 * 1024)}"}`);
    let turns = 0;
    const tick = () => {
      turns += 1;
      if (turns < 1000) setImmediate(tick);
    };
    setImmediate(tick);
    const batch = Array.from({ length: 3 }, (_, i) => record({ messageId: `m-${i}`, value: big }));
    const events = await ingest.records({ sourceId: 'rabbitmq:local', origin }, batch);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(events[0]?.timestamp).toBe(epochMs(NOW));
    turns = 1000;
  });
});
