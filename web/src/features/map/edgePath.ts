import type { Point } from './layout';

/**
 * A smooth SVG path through `points` (uniform cubic B-spline, like d3's curveBasis): it starts
 * and ends exactly at the first and last point and bends toward the ones between.
 */
export function basisPath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  if (rest.length === 0) return `M${first.x},${first.y}`;
  const f = (n: number) => Math.round(n * 10) / 10;
  let d = `M${f(first.x)},${f(first.y)}`;
  let x0 = first.x;
  let y0 = first.y;
  let x1 = first.x;
  let y1 = first.y;
  let count = 1;
  const curveTo = (x: number, y: number) => {
    d += `C${f((2 * x0 + x1) / 3)},${f((2 * y0 + y1) / 3)} ${f((x0 + 2 * x1) / 3)},${f((y0 + 2 * y1) / 3)} ${f((x0 + 4 * x1 + x) / 6)},${f((y0 + 4 * y1 + y) / 6)}`;
  };
  for (const p of rest) {
    if (count === 1) {
      x1 = p.x;
      y1 = p.y;
      count = 2;
      continue;
    }
    if (count === 2) {
      d += `L${f((5 * x0 + x1) / 6)},${f((5 * y0 + y1) / 6)}`;
      count = 3;
    }
    curveTo(p.x, p.y);
    x0 = x1;
    y0 = y1;
    x1 = p.x;
    y1 = p.y;
  }
  if (count === 3) curveTo(x1, y1);
  d += `L${f(x1)},${f(y1)}`;
  return d;
}

/** A point halfway along the route (by vertex), for labels. */
export function routeMidpoint(points: readonly Point[]): Point {
  if (points.length === 0) return { x: 0, y: 0 };
  const mid = (points.length - 1) / 2;
  const a = points[Math.floor(mid)] ?? points[0]!;
  const b = points[Math.ceil(mid)] ?? a;
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}
