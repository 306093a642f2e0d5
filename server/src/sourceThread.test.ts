import { describe, expect, it } from 'vitest';
import type { UnsequencedEvent } from './sources/contract.js';
import { Outbox } from './sourceThread.js';

const event = (i: number) =>
  ({
    id: `kafka/local/orders/0/${i}`,
    source: { broker: 'kafka', cluster: 'local' },
    channel: 'orders',
    timestamp: 1_700_000_000_000,
    receivedAt: 1_700_000_000_000,
    headers: {},
    correlation: { keys: [] },
    payload: { encoding: 'json', value: '{}', size: 2, truncated: false, sha256: '' },
  }) as unknown as UnsequencedEvent;
const batch = (n: number) => Array.from({ length: n }, (_, i) => event(i));
const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('a source thread sending to the main thread', () => {
  it('reads ahead by up to 3,000 events, then waits until the main thread has taken enough; a stop waits for all', async () => {
    const posted: number[] = [];
    const outbox = new Outbox((m) => {
      if (m.t === 'events') posted.push(m.id);
    });
    // Within the window: the source reads on while the main thread ingests.
    expect(await settled(outbox.send(batch(2000)))).toBe(true);
    // 4,000 ahead: the source waits (backpressure), and nothing is dropped: the batch is posted.
    const second = outbox.send(batch(2000));
    expect(posted).toEqual([1, 2]);
    expect(await settled(second)).toBe(false);
    outbox.taken(1);
    expect(await settled(second)).toBe(true);
    const empty = outbox.empty();
    expect(await settled(empty)).toBe(false);
    outbox.taken(2);
    expect(await settled(empty)).toBe(true);
    // One batch larger than the window waits until it is taken.
    const big = outbox.send(batch(25_000));
    expect(await settled(big)).toBe(false);
    outbox.taken(3);
    expect(await settled(big)).toBe(true);
  });
});
