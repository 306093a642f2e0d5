import type { Payload } from '@flowscope/shared';

/**
 * Field-by-field difference of two JSON payloads. Pure: no DOM, no React. Values stay data; the
 * UI renders them as text.
 */

type DiffChange = 'added' | 'removed' | 'changed';

export type DiffEntry = Readonly<{
  /** `items[0].sku`, `["content-type"]`; `(root)` when the whole value changed. */
  path: string;
  change: DiffChange;
  /** Absent for `added`. */
  before?: unknown;
  /** Absent for `removed`. */
  after?: unknown;
}>;

export type JsonDiff = Readonly<{
  entries: readonly DiffEntry[];
  /** Leaf values (and empty containers) equal on both sides. */
  unchanged: number;
  /** Entries left out beyond the limit. */
  omitted: number;
}>;

export type PayloadDiff =
  | (JsonDiff & Readonly<{ comparable: true }>)
  | Readonly<{ comparable: false; message: string; identicalBytes: boolean }>;

const DIFF_ENTRY_LIMIT = 500;
/**
 * Below this depth, subtrees are compared whole, without recursion, and a difference is one entry
 * at that depth: a payload may nest 100,000 levels, past any call stack.
 */
export const DIFF_MAX_DEPTH = 64;

type Segment = string | number;
type Kind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'other';

const kindOf = (v: unknown): Kind => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'object' || t === 'string' || t === 'number' || t === 'boolean' ? t : 'other';
};

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `items[0].sku`; keys that are not identifiers in brackets; the empty path is `(root)`. */
export function formatPath(segments: readonly Segment[]): string {
  if (segments.length === 0) return '(root)';
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Shown for a value nested past the call stack (JSON.stringify recurses). */
export const TOO_DEEP = '(nested too deeply to show)';

/** JSON text of a value, `indent`ed, or undefined when it is nested past the call stack. */
export function jsonText(value: unknown, indent?: number): string | undefined {
  try {
    return JSON.stringify(value, null, indent);
  } catch {
    return undefined;
  }
}

/** One line of JSON for a diff value, cut at `max` characters. */
export function formatValue(value: unknown, max = 160): string {
  const text = value === undefined ? '—' : jsonText(value);
  if (text === undefined) return TOO_DEEP;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Whether two parsed JSON values are equal, with a stack of its own (any depth). */
function sameJson(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [unknown, unknown];
    if (x === y) continue;
    const kx = kindOf(x);
    if (kx !== kindOf(y) || (kx !== 'object' && kx !== 'array')) return false;
    const ox = x as Record<string, unknown>;
    const oy = y as Record<string, unknown>;
    const keys = Object.keys(ox);
    if (keys.length !== Object.keys(oy).length) return false;
    for (const k of keys) {
      if (!Object.hasOwn(oy, k)) return false;
      stack.push([ox[k], oy[k]]);
    }
  }
  return true;
}

/** Differences between two parsed JSON values, in document order (before's keys, then new keys). */
export function diffJson(before: unknown, after: unknown, limit = DIFF_ENTRY_LIMIT): JsonDiff {
  const entries: DiffEntry[] = [];
  let unchanged = 0;
  let omitted = 0;
  const push = (entry: DiffEntry) => {
    if (entries.length < limit) entries.push(entry);
    else omitted++;
  };

  const walk = (a: unknown, b: unknown, path: Segment[]) => {
    if (path.length >= DIFF_MAX_DEPTH) {
      if (sameJson(a, b)) unchanged++;
      else push({ path: formatPath(path), change: 'changed', before: a, after: b });
      return;
    }
    const ka = kindOf(a);
    const kb = kindOf(b);
    if (ka !== kb) {
      push({ path: formatPath(path), change: 'changed', before: a, after: b });
      return;
    }
    if (ka === 'object') {
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      const keysA = Object.keys(oa);
      const keysB = Object.keys(ob);
      if (keysA.length === 0 && keysB.length === 0) unchanged++;
      for (const k of keysA) {
        if (Object.hasOwn(ob, k)) walk(oa[k], ob[k], [...path, k]);
        else push({ path: formatPath([...path, k]), change: 'removed', before: oa[k] });
      }
      for (const k of keysB) {
        if (!Object.hasOwn(oa, k)) push({ path: formatPath([...path, k]), change: 'added', after: ob[k] });
      }
      return;
    }
    if (ka === 'array') {
      // Index by index: a reordered array shows as changes, which is what a reader of the wire sees.
      const la = a as unknown[];
      const lb = b as unknown[];
      if (la.length === 0 && lb.length === 0) unchanged++;
      for (let i = 0; i < Math.max(la.length, lb.length); i++) {
        if (i >= lb.length) push({ path: formatPath([...path, i]), change: 'removed', before: la[i] });
        else if (i >= la.length) push({ path: formatPath([...path, i]), change: 'added', after: lb[i] });
        else walk(la[i], lb[i], [...path, i]);
      }
      return;
    }
    if (a === b) unchanged++;
    else push({ path: formatPath(path), change: 'changed', before: a, after: b });
  };

  walk(before, after, []);
  return { entries, unchanged, omitted };
}

type Parsed = { ok: true; value: unknown } | { ok: false; why: string };

function parseJson(payload: Payload): Parsed {
  switch (payload.encoding) {
    case 'empty':
      return { ok: false, why: 'empty' };
    case 'binary':
      return { ok: false, why: 'binary' };
    case 'text':
      return { ok: false, why: 'text, not JSON' };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(payload.value) as unknown };
      } catch {
        return {
          ok: false,
          why: payload.truncated ? 'truncated JSON that does not parse' : 'JSON that does not parse',
        };
      }
  }
}

/**
 * Compares the payload of an earlier step (`before`) with this step's (`after`). Only two JSON
 * payloads compare field by field; otherwise the result says why not, and whether the bytes match.
 */
export function diffPayloads(before: Payload, after: Payload, limit = DIFF_ENTRY_LIMIT): PayloadDiff {
  const a = parseJson(before);
  const b = parseJson(after);
  if (a.ok && b.ok) return { comparable: true, ...diffJson(a.value, b.value, limit) };
  const identicalBytes = before.sha256 === after.sha256 && before.size === after.size;
  const reasons: string[] = [];
  if (!b.ok) reasons.push(`this step's payload is ${b.why}`);
  if (!a.ok) reasons.push(`the earlier step's payload is ${a.why}`);
  const tail = identicalBytes ? ' The two bodies are byte-for-byte identical (same SHA-256).' : '';
  return {
    comparable: false,
    identicalBytes,
    message: `Not comparable field by field: ${reasons.join(' and ')}.${tail}`,
  };
}
