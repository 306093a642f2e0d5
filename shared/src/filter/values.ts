/**
 * Runtime values of the filter language. JSON objects from a payload stay plain objects and are
 * read through own properties only; maps the environment builds (headers, keys) are
 * `FoldedMap`s, looked up case-insensitively. A missing field is `ABSENT`, never an exception.
 */

/** The value of a missing field, header, key or list element. */
export const ABSENT: unique symbol = Symbol('absent');
type Absent = typeof ABSENT;

/** A parsed JSON object (`JSON.parse` output): only its own properties are ever read. */
export type JsonObject = { readonly [key: string]: unknown };

/** A string-keyed map with case-insensitive lookup that remembers each key's first spelling. */
export class FoldedMap {
  readonly #values = new Map<string, Value>();
  readonly #names: string[] = [];

  /** Adds `name` unless a key equal to it ignoring case is already present (first one wins). */
  add(name: string, value: Value): void {
    const folded = name.toLowerCase();
    if (this.#values.has(folded)) return;
    this.#values.set(folded, value);
    this.#names.push(name);
  }
  get(name: string): Value {
    const v = this.#values.get(name.toLowerCase());
    return v === undefined ? ABSENT : v;
  }
  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }
  /** Keys as first spelled. */
  names(): readonly string[] {
    return this.#names;
  }
}

export type Value = null | boolean | number | string | readonly Value[] | JsonObject | FoldedMap | Absent;

export type TypeName = 'absent' | 'null' | 'bool' | 'number' | 'string' | 'list' | 'map';

/** Narrows whatever JSON.parse or the environment produced to a Value (functions etc. become absent). */
export function toValue(v: unknown): Value {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'object':
      return v as Value;
    default:
      return ABSENT;
  }
}

export function typeOf(v: Value): TypeName {
  if (v === ABSENT) return 'absent';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return Array.isArray(v) ? 'list' : 'map';
  }
}

export const isList = (v: Value): v is readonly Value[] => Array.isArray(v);
export const isMap = (v: Value): v is JsonObject | FoldedMap =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field `name` of a map, or ABSENT: never a prototype member such as `constructor`. */
export function field(target: Value, name: string): Value {
  if (target instanceof FoldedMap) return target.get(name);
  if (!isMap(target)) return ABSENT;
  return Object.hasOwn(target, name) ? toValue(target[name]) : ABSENT;
}

/** `target[index]`: a list element by integer index, or a map field by string (or integer) key. */
export function element(target: Value, index: Value): Value {
  if (isList(target)) {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= target.length) return ABSENT;
    return toValue(target[index]);
  }
  if (isMap(target)) {
    // JSON object keys are always strings, so an integer key can only mean its decimal form.
    if (typeof index === 'number' && Number.isInteger(index)) return field(target, String(index));
    return typeof index === 'string' ? field(target, index) : ABSENT;
  }
  return ABSENT;
}

export function mapHas(map: JsonObject | FoldedMap, key: string): boolean {
  return map instanceof FoldedMap ? map.has(key) : Object.hasOwn(map, key);
}

export function mapKeys(map: JsonObject | FoldedMap): readonly string[] {
  return map instanceof FoldedMap ? map.names() : Object.keys(map);
}

/**
 * Deep equality without coercion: values of different types are never equal, and ABSENT equals
 * nothing (not even ABSENT). Each element compared is charged to `meter`.
 */
export function equals(a: Value, b: Value, meter: Meter): boolean {
  if (a === ABSENT || b === ABSENT) return false;
  if (a === b) return true;
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  if (type === 'string') {
    meter.charge(textCost((a as string).length, 'scan'));
    return false;
  }
  if (type === 'list') {
    const x = a as readonly Value[];
    const y = b as readonly Value[];
    if (x.length !== y.length) return false;
    meter.charge(x.length);
    for (let i = 0; i < x.length; i++) if (!equals(toValue(x[i]), toValue(y[i]), meter)) return false;
    return true;
  }
  if (type === 'map') {
    const x = a as JsonObject | FoldedMap;
    const y = b as JsonObject | FoldedMap;
    const keys = mapKeys(x);
    if (keys.length !== mapKeys(y).length) return false;
    meter.charge(keys.length);
    for (const k of keys) if (!mapHas(y, k) || !equals(field(x, k), field(y, k), meter)) return false;
    return true;
  }
  return false;
}

/** The budget of one evaluation: `charge` adds steps and throws once they run out. */
export interface Meter {
  charge(steps: number): void;
}

/**
 * Characters of each kind of text work that cost one budget step. A step is calibrated to about
 * 60 ns, the cost of visiting one expression node: native scans and comparisons run at under
 * 1 ns a character, case mapping at 2, JavaScript loops at 5 and JSON.parse at about 11.
 */
export const CHARS_PER_STEP = { scan: 128, caseMap: 32, loop: 16, json: 8 } as const;

/** Budget steps for `kind` work over `length` characters. */
export const textCost = (length: number, kind: keyof typeof CHARS_PER_STEP): number =>
  1 + Math.floor(length / CHARS_PER_STEP[kind]);

/** Describes a value's type for messages: "a string", "a number", "missing". */
export function describeType(type: TypeName): string {
  switch (type) {
    case 'absent':
      return 'missing';
    case 'null':
      return 'null';
    case 'bool':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'list':
      return 'a list';
    case 'map':
      return 'a map';
  }
}
