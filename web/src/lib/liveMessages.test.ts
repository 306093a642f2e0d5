import { liveServerMessageSchemas } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/events';
import { readEventBatch, readMessage } from './liveMessages';

describe('reading live messages', () => {
  it('keeps the good events of a batch and names what is wrong with the others', () => {
    const good = makeEvent({ seq: 7 });
    const read = readEventBatch({ events: [good, { ...good, seq: -1 }, 'nonsense'], skipped: 2 });
    expect(read.ok && read.value.events.map((e) => e.seq)).toEqual([7]);
    expect(read.ok && read.value.skipped).toBe(2);
    expect(read.ok && read.value.problems).toEqual([
      'seq: Too small: expected number to be >=0',
      'Invalid input: expected object, received string',
    ]);
  });

  it('refuses a batch without its envelope, and a message that does not match its schema', () => {
    expect(readEventBatch([makeEvent()])).toMatchObject({ ok: false });
    expect(readMessage(liveServerMessageSchemas.flowChanged, { watchedId: 'a' })).toEqual({
      ok: false,
      problem: 'flowId: Invalid input: expected string, received undefined',
    });
    expect(readMessage(liveServerMessageSchemas.flowChanged, { watchedId: 'a', flowId: 'b' })).toEqual({
      ok: true,
      value: { watchedId: 'a', flowId: 'b' },
    });
  });
});
