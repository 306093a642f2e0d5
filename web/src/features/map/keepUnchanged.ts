import type { MapFlowEdge, MapFlowNode } from './toFlowElements';

/** Structural equality of plain data (numbers, strings, arrays, plain objects), as the map's elements hold. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * `next`, where each element equal to the previous element of its id is that previous object, and
 * `previous` itself when nothing changed at all. React Flow and the memoised node and edge
 * components skip an element whose object is the same: with 300 nodes, the once-a-second
 * topology push then renders only what changed.
 */
export function keepUnchanged<T extends { readonly id: string }>(previous: readonly T[], next: readonly T[]): T[] {
  const byId = new Map(previous.map((e) => [e.id, e]));
  let changed = previous.length !== next.length;
  const kept = next.map((e, i) => {
    const old = byId.get(e.id);
    if (old && sameData(old, e)) {
      if (previous[i] !== old) changed = true;
      return old;
    }
    changed = true;
    return e;
  });
  return changed ? kept : (previous as T[]);
}

export type MapElements = Readonly<{ nodes: MapFlowNode[]; edges: MapFlowEdge[] }>;

/** The new elements, keeping the objects of those that did not change since `previous`. */
export const keepUnchangedElements = (previous: MapElements, next: MapElements): MapElements => ({
  nodes: keepUnchanged(previous.nodes, next.nodes),
  edges: keepUnchanged(previous.edges, next.edges),
});
