import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/events';
import { formatBytes, formatDuration, formatLatency, formatRate, formatRelative, payloadPreview } from './format';

describe('payloadPreview', () => {
  it('is one line of the payload text', () => {
    const { payload } = makeEvent({ payload: { encoding: 'text', value: 'line one\n  line two' } });
    expect(payloadPreview(payload)).toBe('line one line two');
  });

  it('names binary and empty payloads instead of showing them', () => {
    expect(payloadPreview(makeEvent({ payload: { encoding: 'binary', value: 'AAE=', size: 2048 } }).payload)).toBe(
      'binary · 2.0 KiB',
    );
    expect(payloadPreview(makeEvent({ payload: { encoding: 'empty', value: '', size: 0 } }).payload)).toBe('(empty)');
  });
});

describe('formatting', () => {
  it('formats sizes, rates and relative times', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatRate(0.44)).toBe('0.4/s');
    expect(formatRate(1234)).toBe('1.2k/s');
    expect(formatRelative(0, 30_000)).toBe('30 s ago');
    expect(formatRelative(0, 500)).toBe('just now');
  });
});

describe('durations', () => {
  it('picks a unit a person reads at a glance', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(85.4)).toBe('85 ms');
    expect(formatDuration(1220)).toBe('1.22 s');
    expect(formatDuration(2000)).toBe('2 s');
    expect(formatDuration(12_540)).toBe('12.5 s');
    expect(formatDuration(184_000)).toBe('3 min 4 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
  });

  it('signs latencies, and shows clock skew as negative', () => {
    expect(formatLatency(120)).toBe('+120 ms');
    expect(formatLatency(-3)).toBe('−3 ms');
  });
});
