import type { Payload } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { diffJson, diffPayloads, formatPath, formatValue } from './payloadDiff';

const json = (value: unknown, extra: Partial<Payload> = {}): Payload => {
  const text = JSON.stringify(value);
  return { encoding: 'json', value: text, size: text.length, truncated: false, sha256: `sha-${text}`, ...extra };
};
const summary = (d: ReturnType<typeof diffJson>) => d.entries.map((e) => `${e.change} ${e.path}`);

describe('diffJson', () => {
  it('walks nested objects and reports added, removed and changed paths with old and new values', () => {
    const placed = { orderId: 'A-1', items: [{ sku: 'MUG', quantity: 2 }], address: { city: 'Bilbao', zip: '48001' } };
    const confirmed = { orderId: 'A-1', address: { city: 'Lisbon', zip: '48001' }, status: 'confirmed' };
    const d = diffJson(placed, confirmed);
    expect(summary(d)).toEqual(['removed items', 'changed address.city', 'added status']);
    expect(d.entries[0]?.before).toEqual([{ sku: 'MUG', quantity: 2 }]);
    expect(d.entries[1]).toMatchObject({ before: 'Bilbao', after: 'Lisbon' });
    expect(d.entries[2]).toMatchObject({ after: 'confirmed' });
    expect(d.unchanged).toBe(2); // orderId, address.zip
  });

  it('compares arrays index by index, with added and removed tails', () => {
    expect(summary(diffJson({ tags: ['a', 'b', 'c'] }, { tags: ['a', 'x'] }))).toEqual([
      'changed tags[1]',
      'removed tags[2]',
    ]);
    expect(summary(diffJson([{ n: 1 }], [{ n: 2 }, { n: 3 }]))).toEqual(['changed [0].n', 'added [1]']);
  });

  it('reports a change of type as one change, not as added and removed children', () => {
    const d = diffJson({ amount: 12.5, meta: { a: 1 }, when: null }, { amount: '12.50', meta: [1], when: 0 });
    expect(summary(d)).toEqual(['changed amount', 'changed meta', 'changed when']);
    expect(d.entries[0]).toMatchObject({ before: 12.5, after: '12.50' });
    expect(d.entries[1]).toMatchObject({ before: { a: 1 }, after: [1] });
  });

  it('says (root) when the whole value changed, and nothing when equal', () => {
    expect(summary(diffJson(1, 'one'))).toEqual(['changed (root)']);
    expect(diffJson({ a: [1, { b: {} }] }, { a: [1, { b: {} }] })).toEqual({ entries: [], unchanged: 2, omitted: 0 });
  });

  it('stops listing at the limit and counts the rest', () => {
    const d = diffJson({}, Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i])), 4);
    expect(d.entries).toHaveLength(4);
    expect(d.omitted).toBe(6);
  });
});

describe('diffPayloads', () => {
  it('compares two JSON payloads field by field', () => {
    const d = diffPayloads(json({ attempt: 1 }), json({ attempt: 2 }));
    expect(d.comparable && d.entries).toEqual([{ path: 'attempt', change: 'changed', before: 1, after: 2 }]);
  });

  it.each([
    ['text', { encoding: 'text', value: 'hello' }, "this step's payload is text, not JSON"],
    ['binary', { encoding: 'binary', value: 'AAE=' }, "this step's payload is binary"],
    ['empty', { encoding: 'empty', value: '' }, "this step's payload is empty"],
    ['truncated JSON', { encoding: 'json', value: '{"a": 1, "b"', truncated: true }, 'truncated JSON'],
  ] as const)('says a %s payload is not comparable, and why', (_name, payload, why) => {
    const d = diffPayloads(json({ a: 1 }), { ...json(null), ...payload });
    expect(d.comparable).toBe(false);
    if (!d.comparable) {
      expect(d.message).toContain('Not comparable');
      expect(d.message).toContain(why);
      expect(d.identicalBytes).toBe(false);
    }
  });

  it('still tells when two non-JSON bodies are the same bytes', () => {
    const bin: Payload = { encoding: 'binary', value: 'AAE=', size: 2, truncated: false, sha256: 'ab' };
    const d = diffPayloads(bin, bin);
    expect(d.comparable).toBe(false);
    if (!d.comparable) {
      expect(d.identicalBytes).toBe(true);
      expect(d.message).toContain('byte-for-byte identical');
      expect(d.message).toContain("the earlier step's payload is binary");
    }
  });
});

describe('formatting', () => {
  it('writes paths like code and values as one line of JSON', () => {
    expect(formatPath(['headers', 'content-type', 0, 'x'])).toBe('headers["content-type"][0].x');
    expect(formatPath([])).toBe('(root)');
    expect(formatValue({ a: 'b' })).toBe('{"a":"b"}');
    expect(formatValue('x'.repeat(300), 10)).toBe(`${'"'}${'x'.repeat(8)}…`);
    expect(formatValue(undefined)).toBe('—');
  });
});

describe('a payload nested past any call stack', () => {
  /** `{"a":{"a":…{"a":leaf}…}}`, `depth` levels, as text (JSON.stringify would recurse). */
  const nested = (depth: number, leaf: string) => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
  const deep = (leaf: string): Payload => {
    const value = nested(100_000, leaf);
    return { encoding: 'json', value, size: value.length, truncated: false, sha256: leaf };
  };

  it('is compared whole below a depth, one change where they differ, and shown as too deep', () => {
    const d = diffPayloads(deep('1'), deep('2'));
    expect(d.comparable).toBe(true);
    if (!d.comparable) return;
    expect(d.entries).toHaveLength(1);
    expect(d.entries[0]?.path).toBe(Array.from({ length: 64 }, () => 'a').join('.'));
    expect(formatValue(d.entries[0]?.before)).toBe('(nested too deeply to show)');
    const same = diffPayloads(deep('1'), deep('1'));
    expect(same.comparable && same.entries).toEqual([]);
  });
});
