import { describe, expect, it } from 'vitest';
import { compareIds, idBefore, readReply, streamInfo, trimmedGap } from './entries.js';
import { matchStreams, scanPattern } from './streams.js';
import { redisStart, startId } from './startPosition.js';

const parseStartPosition = redisStart.parse;

const b = (s: string) => Buffer.from(s);

describe('Redis stream entries', () => {
  it('takes the first payload field as the value, the other fields as headers, the id as id and time', () => {
    const [batch] = readReply(
      [[b('orders'), [[b('1700000000123-4'), [b('correlationId'), b('c-1'), b('data'), b('{"orderId":"o-1"}')]]]]],
      ['payload', 'data'],
    );
    expect(batch?.records[0]).toEqual({
      channel: 'orders',
      messageId: '1700000000123-4',
      timestamp: 1700000000123,
      headers: { correlationId: 'c-1' },
      value: b('{"orderId":"o-1"}'),
    });
  });

  it('makes all fields one JSON object when no payload field is present, and an empty payload field null', () => {
    const [batch] = readReply(
      [
        [
          b('s'),
          [
            [b('1-0'), [b('orderId'), b('o-2'), b('total'), b('12')]],
            [b('2-0'), [b('payload'), b('')]],
          ],
        ],
      ],
      ['payload'],
    );
    expect(JSON.parse(Buffer.from(batch?.records[0]?.value as Uint8Array).toString())).toEqual({
      orderId: 'o-2',
      total: '12',
    });
    expect(batch?.records[1]?.value).toBeNull();
  });

  it('orders ids and steps back one id', () => {
    expect(compareIds('10-1', '9-5')).toBeGreaterThan(0);
    expect(compareIds('10-1', '10-2')).toBeLessThan(0);
    expect(idBefore('10-1')).toBe('10-0');
    expect(idBefore('10-0')).toBe('9-18446744073709551615');
  });

  it('counts entries trimmed before they were read, and none that were read first', () => {
    const info = streamInfo([
      b('length'),
      4,
      b('entries-added'),
      10,
      b('last-generated-id'),
      b('10-0'),
      b('first-entry'),
      [b('7-0'), []],
    ]);
    expect(trimmedGap('s', info, '0-0', 0)?.gap.detail).toMatch(/6 entries after 0-0 up to 7-0/);
    expect(trimmedGap('s', info, '0-0', 0)?.known).toBe(6);
    expect(trimmedGap('s', info, '6-0', 6)).toBeUndefined();
    expect(trimmedGap('s', info, '8-0', 8)).toBeUndefined();
  });
});

describe('Redis stream patterns and start positions', () => {
  it('matches exact keys, globs and regexes, and names the patterns that match nothing', () => {
    expect(matchStreams(['orders', 'pay:*', '/^ship/', 'gone'], ['orders', 'pay:eu', 'shipments', 'other'])).toEqual({
      matched: ['orders', 'pay:eu', 'shipments'],
      missing: ['gone'],
    });
    expect(scanPattern(['pay:*'])).toBe('pay:*');
    expect(scanPattern(['/x/'])).toBe('*');
  });

  it('starts latest at the last id, earliest at 0-0, a time just before its first millisecond', () => {
    expect(startId(parseStartPosition('latest'), '5-3', 0)).toBe('5-3');
    expect(startId(parseStartPosition('earliest'), '5-3', 0)).toBe('0-0');
    expect(startId(parseStartPosition('15m'), '5-3', 1_000_000)).toBe('99999-18446744073709551615');
    expect(startId(parseStartPosition('1970-01-01T00:00:01Z'), '5-3', 0)).toBe('999-18446744073709551615');
    expect(startId(parseStartPosition('1700000000000-2'), '5-3', 0)).toBe('1700000000000-2');
    expect(() => parseStartPosition('soon')).toThrow(/latest, earliest/);
  });
});
