import { describe, expect, it } from 'vitest';
import { kafkaStart } from './startPosition.js';

const { parse: parseStartPosition, describe: describeStartPosition } = kafkaStart;

describe('start positions', () => {
  it('parses every documented form', () => {
    expect(parseStartPosition('latest')).toEqual({ kind: 'latest' });
    expect(parseStartPosition('earliest')).toEqual({ kind: 'earliest' });
    expect(parseStartPosition('15m')).toEqual({ kind: 'ago', ms: 900_000 });
    expect(parseStartPosition('1.5h')).toEqual({ kind: 'ago', ms: 5_400_000 });
    expect(parseStartPosition('2026-11-22T10:00:00Z')).toEqual({ kind: 'time', at: Date.UTC(2026, 10, 22, 10) });
    expect(parseStartPosition('0:1200,3:18446744073709551615')).toEqual({
      kind: 'offsets',
      offsets: { 0: '1200', 3: '18446744073709551615' },
    });
  });

  it('rejects anything else with the forms it accepts', () => {
    for (const bad of ['', 'newest', '15 minutes', '0:', '2026-13-45T99:00:00Z', '-1:5']) {
      expect(() => parseStartPosition(bad)).toThrow(/use latest, earliest, a duration/);
    }
  });

  it('describes a position as it would be written', () => {
    expect(describeStartPosition(parseStartPosition('0:5,1:7'))).toBe('0:5,1:7');
    expect(describeStartPosition(parseStartPosition('2m'))).toBe('the last 120 s');
  });
});
