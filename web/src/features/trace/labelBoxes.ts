/** Boxes of SVG text labels, to keep labels from covering each other. Pure. */

export type Box = Readonly<{ x0: number; y0: number; x1: number; y1: number }>;
export type Spot = Readonly<{ x: number; y: number; anchor: 'start' | 'middle' | 'end' }>;

export const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The box of a label of width `w` whose baseline sits at `s`. */
export function boxOf(s: Spot, w: number): Box {
  const x0 = s.anchor === 'start' ? s.x : s.anchor === 'end' ? s.x - w : s.x - w / 2;
  return { x0: x0 - 2, y0: s.y - 10, x1: x0 + w + 2, y1: s.y + 3 };
}
