/** A channel's dictionary is made from the end of one of its full blocks, up to this many bytes. 4 KiB measured best (ADR 0021 §15). */
const DICTIONARY_BYTES = 4096;
/**
 * A value kept in a dictionary is one that at least this many of the block's events carry: the
 * channel's vocabulary (its event types, producers, content types, status words), not the data of
 * any one event.
 */
const SHARED_BY = 8;
/**
 * How deep into an event's JSON its shape is taken: a channel's vocabulary lies near the top, and a
 * payload nested 100,000 levels deep (a hostile producer's) must not overflow the writer's stack.
 */
const SHAPE_DEPTH = 32;

/**
 * A deflate dictionary for a channel, from the lines of one of its full blocks: their shapes (field
 * names, header names, the payload's layout) and the values many of them share, each other string
 * left empty and each other number 0. It is kept as long as a block compressed against it is, which
 * may be longer than the events it was made from: so it holds no event's own ids or values (ADR
 * 0021 §15).
 */
export function channelDictionary(lines: readonly string[]): Buffer {
  const shared = sharedValues(lines);
  const shapes: string[] = [];
  let bytes = 0;
  for (let i = lines.length - 1; i >= 0 && bytes < DICTIONARY_BYTES; i--) {
    const shape = shapeOf(lines[i] as string, shared);
    shapes.unshift(shape);
    bytes += shape.length + 1;
  }
  const text = Buffer.from(shapes.join('\n'));
  return Buffer.from(text.subarray(Math.max(0, text.length - DICTIONARY_BYTES)));
}

type Line = { payload?: { value?: unknown } };

/** The payload's value parsed, when it is JSON text. */
function payloadJson(line: Line): unknown {
  const value = line.payload?.value;
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Strings and numbers that at least `SHARED_BY` of the lines carry (in their event or payload JSON). */
function sharedValues(lines: readonly string[]): Set<string | number> {
  const counts = new Map<string | number, number>();
  for (const text of lines) {
    const seen = new Set<string | number>();
    const visit = (v: unknown, depth: number): void => {
      if (typeof v === 'string' || typeof v === 'number') seen.add(v);
      else if (v !== null && typeof v === 'object' && depth < SHAPE_DEPTH)
        for (const x of Object.values(v)) visit(x, depth + 1);
    };
    const line = JSON.parse(text) as Line;
    visit(line, 0);
    visit(payloadJson(line), 0);
    for (const v of seen) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const shared = new Set<string | number>();
  for (const [v, n] of counts) if (n >= SHARED_BY) shared.add(v);
  return shared;
}

/** The line with only its keys and shared values (see `channelDictionary`). */
function shapeOf(text: string, shared: ReadonlySet<string | number>): string {
  const blank = (v: unknown, depth = 0): unknown => {
    if (typeof v === 'string') return shared.has(v) ? v : '';
    if (typeof v === 'number') return shared.has(v) ? v : 0;
    if (v !== null && typeof v === 'object' && depth >= SHAPE_DEPTH) return null;
    if (Array.isArray(v)) return v.map((x) => blank(x, depth + 1));
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x, depth + 1)]));
    return v;
  };
  const line = JSON.parse(text) as Line;
  const inner = payloadJson(line);
  const shape = blank(line) as Line;
  if (shape.payload && inner !== undefined) shape.payload.value = JSON.stringify(blank(inner));
  return JSON.stringify(shape);
}
