import type { Node } from './ast.js';
import { where } from './errors.js';
import type { LazyInput } from './input.js';
import { compileRegex, type RegexResult, type SafeRegex } from './regex.js';
import {
  ABSENT,
  describeType,
  element,
  equals,
  field,
  isList,
  isMap,
  mapHas,
  mapKeys,
  textCost,
  toValue,
  typeOf,
  type Meter,
  type Value,
} from './values.js';

/** The evaluation ran out of steps; never caught by `&&`/`||`, it ends the evaluation. */
export class BudgetExceeded extends Error {}

/** A value of the wrong type on this event, e.g. `int("abc")`; `&&`/`||` may absorb it, as in CEL. */
export class EvaluationError extends Error {}

/** Regexes built from patterns that are not literals, kept per compiled filter. */
export class RegexCache {
  readonly #entries = new Map<string, RegexResult>();
  get(pattern: string): RegexResult {
    let entry = this.#entries.get(pattern);
    if (!entry) {
      if (this.#entries.size >= 32) this.#entries.clear();
      entry = compileRegex(pattern);
      this.#entries.set(pattern, entry);
    }
    return entry;
  }
}

// Unambiguous, so they never backtrack more than linearly (`\d+\.?\d*` would, quadratically).
const INT = /^\s*[+-]?\d+\s*$/;
const DOUBLE = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** Longer text is not a number anyone means to convert. */
const MAX_NUMBER_TEXT = 400;

const SIDE_OF = { '&&': "Each side of '&&'", '||': "Each side of '||'" } as const;

/**
 * One evaluation of a filter against one event. Every node visited costs a step, text work a
 * step per so many characters (see CHARS_PER_STEP), regex work a step per character per live
 * regex state; past `maxSteps` it stops with BudgetExceeded. Nothing loops without charging.
 */
export class Evaluation implements Meter {
  steps = 0;
  readonly vars: Value[] = [];

  constructor(
    readonly source: string,
    readonly input: LazyInput,
    readonly maxSteps: number,
    readonly regexes: RegexCache,
  ) {}

  charge(steps: number): void {
    this.steps += steps;
    if (this.steps > this.maxSteps) throw new BudgetExceeded();
  }

  /** `message` receives "at line L, column C" for `pos`. */
  error(pos: number, message: (at: string) => string): never {
    throw new EvaluationError(message(where(this.source, pos)));
  }

  text(node: Node): string {
    const text = this.source.slice(node.start, node.end).trim();
    return text.length > 30 ? `${text.slice(0, 29)}…` : text;
  }

  wrongType(node: Node, value: Value, needs: string): never {
    const type = describeType(typeOf(value));
    return this.error(node.start, (at) => `${needs} ${at}, but ${this.text(node)} is ${type} on this event`);
  }

  /** `node` as a condition: a missing value counts as false, anything but a boolean is an error. */
  bool(node: Node, context: string): boolean {
    const v = this.eval(node);
    if (typeof v === 'boolean') return v;
    if (v === ABSENT) return false;
    return this.wrongType(node, v, `${context} must be true or false`);
  }

  eval(node: Node): Value {
    if (++this.steps > this.maxSteps) throw new BudgetExceeded();
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'list':
        return node.items.map((item) => this.eval(item));
      case 'env':
        return this.input.get(node.name, this);
      case 'var':
        return this.vars[node.slot] ?? ABSENT;
      case 'field':
        return field(this.eval(node.target), node.name);
      case 'index':
        return element(this.eval(node.target), this.eval(node.index));
      case 'has':
        return this.eval(node.target) !== ABSENT;
      case 'not':
        return !this.bool(node.operand, "What follows '!'");
      case 'negate': {
        const v = this.eval(node.operand);
        if (v === ABSENT) return ABSENT;
        return typeof v === 'number' ? -v : this.wrongType(node.operand, v, "'-' needs a number");
      }
      case 'conditional':
        return this.bool(node.test, "The test before '?'") ? this.eval(node.then) : this.eval(node.otherwise);
      case 'logical':
        return this.logical(node.op, node.operands);
      case 'binary':
        return this.binary(node);
      case 'comprehension':
        return this.comprehension(node);
      case 'call':
        return this.call(node);
    }
  }

  /**
   * `&&` is false if any side is false and `||` true if any side is true, even when another side
   * fails on this event (CEL's rule), so one odd payload field does not hide a match.
   */
  logical(op: '&&' | '||', operands: readonly Node[]): boolean {
    const decisive = op === '||';
    let failure: EvaluationError | undefined;
    for (const operand of operands) {
      try {
        if (this.bool(operand, SIDE_OF[op]) === decisive) return decisive;
      } catch (e) {
        if (!(e instanceof EvaluationError)) throw e;
        failure ??= e;
      }
    }
    if (failure) throw failure;
    return !decisive;
  }

  comprehension(node: Extract<Node, { kind: 'comprehension' }>): boolean {
    const range = this.eval(node.range);
    if (range === ABSENT) return false;
    let items: readonly unknown[];
    if (isList(range)) items = range;
    else if (isMap(range)) items = mapKeys(range);
    else return this.wrongType(node.range, range, `${node.quantifier}() needs a list or map`);
    this.charge(items.length);
    const decisive = node.quantifier === 'exists';
    const context = `The condition of ${node.quantifier}()`;
    let failure: EvaluationError | undefined;
    for (const item of items) {
      this.vars[node.slot] = toValue(item);
      try {
        if (this.bool(node.predicate, context) === decisive) return decisive;
      } catch (e) {
        if (!(e instanceof EvaluationError)) throw e;
        failure ??= e;
      }
    }
    if (failure) throw failure;
    return !decisive;
  }

  binary(node: Extract<Node, { kind: 'binary' }>): Value {
    const l = this.eval(node.left);
    const r = this.eval(node.right);
    switch (node.op) {
      case '==':
        return equals(l, r, this);
      case '!=':
        return l === ABSENT || r === ABSENT || !equals(l, r, this);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return compare(node.op, l, r);
      case 'in':
        return this.contains(r, l);
      case '+':
        return this.add(node, l, r);
      default: {
        if (l === ABSENT || r === ABSENT) return ABSENT;
        if (typeof l !== 'number') return this.wrongType(node.left, l, `'${node.op}' needs numbers`);
        if (typeof r !== 'number') return this.wrongType(node.right, r, `'${node.op}' needs numbers`);
        if (node.op === '-') return l - r;
        if (node.op === '*') return l * r;
        if (r === 0) return this.error(node.pos, (at) => `Division by zero ${at}`);
        return node.op === '/' ? l / r : l % r;
      }
    }
  }

  /** `needle in haystack`: an item of a list, a substring of a string, a key of a map. */
  contains(haystack: Value, needle: Value): boolean {
    if (needle === ABSENT) return false;
    if (isList(haystack)) {
      for (const item of haystack) {
        this.charge(1);
        if (equals(needle, toValue(item), this)) return true;
      }
      return false;
    }
    if (typeof needle !== 'string') return false;
    if (typeof haystack === 'string') {
      this.charge(textCost(haystack.length + needle.length, 'scan'));
      return haystack.includes(needle);
    }
    return isMap(haystack) && mapHas(haystack, needle);
  }

  add(node: Extract<Node, { kind: 'binary' }>, l: Value, r: Value): Value {
    if (l === ABSENT || r === ABSENT) return ABSENT;
    if (typeof l === 'number' && typeof r === 'number') return l + r;
    if (typeof l === 'string' && typeof r === 'string') {
      this.charge(textCost(l.length + r.length, 'scan'));
      return l + r;
    }
    if (isList(l) && isList(r)) {
      this.charge(l.length + r.length);
      return [...l, ...r];
    }
    return this.error(
      node.pos,
      (at) =>
        `Cannot add ${describeType(typeOf(l))} and ${describeType(typeOf(r))} ${at}: ` +
        `'+' adds numbers or joins strings or lists`,
    );
  }

  call(node: Extract<Node, { kind: 'call' }>): Value {
    const [first, second] = node.args;
    const subject = this.eval(first!);
    if (subject === ABSENT) return ABSENT;
    switch (node.fn) {
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'matches': {
        const arg = this.eval(second!);
        if (arg === ABSENT) return ABSENT;
        if (typeof subject !== 'string') return this.wrongType(first!, subject, `${node.fn}() works on text`);
        if (typeof arg !== 'string') return this.wrongType(second!, arg, `${node.fn}() needs text`);
        if (node.fn === 'matches') {
          const { found, steps } = this.regex(node, arg).search(subject, this.maxSteps - this.steps);
          this.charge(steps);
          return found;
        }
        this.charge(textCost(subject.length + arg.length, 'scan'));
        if (node.fn === 'contains') return subject.includes(arg);
        return node.fn === 'startsWith' ? subject.startsWith(arg) : subject.endsWith(arg);
      }
      case 'size':
        if (typeof subject === 'string') {
          this.charge(textCost(subject.length, 'loop'));
          return codePoints(subject);
        }
        if (isList(subject)) return subject.length;
        if (isMap(subject)) {
          const keys = mapKeys(subject);
          this.charge(keys.length);
          return keys.length;
        }
        return this.wrongType(first!, subject, 'size() measures text, lists and maps');
      case 'lower':
      case 'upper':
        if (typeof subject !== 'string') return this.wrongType(first!, subject, `${node.fn}() works on text`);
        this.charge(textCost(subject.length, 'caseMap'));
        return node.fn === 'lower' ? subject.toLowerCase() : subject.toUpperCase();
      case 'string':
        if (typeof subject === 'string') return subject;
        if (typeof subject === 'number' || typeof subject === 'boolean' || subject === null) return String(subject);
        return this.wrongType(first!, subject, 'string() converts a number, boolean or null');
      case 'int':
      case 'double':
        return this.number(node, subject);
    }
  }

  number(node: Extract<Node, { kind: 'call' }>, v: Value): number {
    const integer = node.fn === 'int';
    if (typeof v === 'number') return integer ? Math.trunc(v) : v;
    if (typeof v !== 'string') return this.wrongType(node.args[0]!, v, `${node.fn}() converts a number or text`);
    this.charge(textCost(v.length, 'scan'));
    if (v.length <= MAX_NUMBER_TEXT && (integer ? INT : DOUBLE).test(v)) {
      const n = Number(v);
      if (Number.isFinite(n)) return n;
    }
    const shown = v.length > 30 ? `${v.slice(0, 29)}…` : v;
    return this.error(node.pos, (at) => `${node.fn}() cannot convert "${shown}" to a number ${at}`);
  }

  regex(node: Extract<Node, { kind: 'call' }>, pattern: string): SafeRegex {
    if (node.regex) return node.regex;
    const compiled = this.regexes.get(pattern);
    if (compiled.ok) return compiled.regex;
    return this.error(node.args[1]!.start, (at) => `Invalid regular expression ${at}: ${compiled.message}`);
  }
}

function compare(op: '<' | '<=' | '>' | '>=', l: Value, r: Value): boolean {
  // Numbers compare numerically, strings by UTF-16 code units; anything else never matches.
  if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) {
    return false;
  }
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

/** Length in Unicode code points, as CEL's size() counts. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
