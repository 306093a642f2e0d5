import { describe, expect, it } from 'vitest';
import { keepUnchanged, sameData } from './keepUnchanged';

describe('sameData', () => {
  it('compares plain data by value', () => {
    expect(sameData({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] })).toBe(true);
    expect(sameData({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'y' }] })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameData(null, {})).toBe(false);
  });
});

describe('keepUnchanged', () => {
  const a = { id: 'a', rate: 1 };
  const b = { id: 'b', rate: 2 };

  it('returns the previous array when nothing changed', () => {
    const previous = [a, b];
    expect(keepUnchanged(previous, [{ ...a }, { ...b }])).toBe(previous);
  });

  it('keeps unchanged elements by id and takes the changed, new and reordered ones', () => {
    const c = { id: 'c', rate: 3 };
    const next = keepUnchanged([a, b], [{ ...b, rate: 5 }, { ...a }, c]);
    expect(next).toEqual([{ id: 'b', rate: 5 }, a, c]);
    expect(next[1]).toBe(a);
    expect(keepUnchanged([a, b], [{ ...b }, { ...a }])).toEqual([b, a]);
    expect(keepUnchanged([a, b], [{ ...a }])).toEqual([a]);
  });
});
