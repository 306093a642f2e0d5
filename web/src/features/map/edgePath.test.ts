import { describe, expect, it } from 'vitest';
import { basisPath, routeMidpoint } from './edgePath';

describe('basisPath', () => {
  it('starts and ends exactly at the route ends', () => {
    const d = basisPath([
      { x: 0, y: 0 },
      { x: 50, y: 40 },
      { x: 100, y: 0 },
    ]);
    expect(d.startsWith('M0,0')).toBe(true);
    expect(d.endsWith('L100,0')).toBe(true);
  });

  it('draws a straight segment for two points', () => {
    expect(
      basisPath([
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ]),
    ).toBe('M1,2L3,4');
  });
});

describe('routeMidpoint', () => {
  it('is the middle vertex, or between the two middle ones', () => {
    expect(
      routeMidpoint([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
        { x: 20, y: 0 },
      ]),
    ).toEqual({ x: 10, y: 10 });
    expect(
      routeMidpoint([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
      ]),
    ).toEqual({ x: 5, y: 0 });
  });
});
