/**
 * A small RE2-syntax regular expression engine that runs in time linear in the subject (a Pike
 * VM: all alternatives advance together, one character at a time). `new RegExp` backtracks:
 * `.*x` alone takes quadratic time on a non-matching payload (hundreds of ms on 10 KB), a
 * synchronous call no step budget can interrupt. Here every character costs budget steps.
 *
 * Supported: literals, `.`, `[…]` classes with ranges and negation, `\d \w \s \D \W \S`, `\b \B`,
 * `^ $ \A \z`, groups `(…)`, `(?:…)`, `(?P<n>…)`, `(?<n>…)`, `|`, `* + ? {n} {n,} {n,m}` (lazy
 * `?` accepted), flags `(?i)`, `(?m)`, `(?s)` and `(?i:…)`, escapes `\n \t \r \f \v \xHH \x{H…}
 * \uHHHH`. Not supported (as in RE2): backreferences and lookaround.
 */

/** A compiled pattern; `search` looks anywhere in the subject, like CEL's `matches`. */
export type SafeRegex = {
  readonly source: string;
  /**
   * Whether the pattern occurs in `subject`, and the steps spent (live states summed over the
   * characters read). The search gives up once `steps` exceeds `maxSteps`, with `found` false.
   */
  search(subject: string, maxSteps: number): { found: boolean; steps: number };
};

export type RegexResult =
  | { readonly ok: true; readonly regex: SafeRegex }
  | { readonly ok: false; readonly message: string; readonly offset: number };

const MAX_PATTERN_LENGTH = 200;
const MAX_REPEAT = 1000;
const MAX_PROGRAM = 5000;

type AssertKind = 'bot' | 'eot' | 'bol' | 'eol' | 'word' | 'notWord';
type Flags = { readonly i: boolean; readonly m: boolean; readonly s: boolean };

type RNode =
  | { readonly t: 'char'; readonly cp: number; readonly fold: boolean }
  | { readonly t: 'class'; readonly ranges: readonly number[]; readonly negated: boolean; readonly fold: boolean }
  | { readonly t: 'any'; readonly dotAll: boolean }
  | { readonly t: 'assert'; readonly kind: AssertKind }
  | { readonly t: 'concat'; readonly items: readonly RNode[] }
  | { readonly t: 'alt'; readonly items: readonly RNode[] }
  | { readonly t: 'repeat'; readonly node: RNode; readonly min: number; readonly max: number };

type Inst =
  | { readonly op: 'char'; readonly cps: readonly number[] }
  | { readonly op: 'class'; readonly ranges: readonly number[]; readonly negated: boolean; readonly fold: boolean }
  | { readonly op: 'any'; readonly dotAll: boolean }
  | { readonly op: 'assert'; readonly kind: AssertKind }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { readonly op: 'match' };

class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const DIGIT = [48, 57];
const WORD = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE = [9, 10, 12, 13, 32, 32];
const MAX_CP = 0x10ffff;

function complement(ranges: readonly number[]): number[] {
  const sorted: [number, number][] = [];
  for (let k = 0; k < ranges.length; k += 2) sorted.push([ranges[k]!, ranges[k + 1]!]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push(next, lo - 1);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CP) out.push(next, MAX_CP);
  return out;
}

/** Reads a pattern into a regex syntax tree. */
class PatternParser {
  i = 0;
  constructor(readonly p: string) {}

  fail(message: string, at = this.i): never {
    throw new RegexSyntaxError(message, at);
  }

  parse(): RNode {
    const node = this.alt({ i: false, m: false, s: false });
    if (this.i < this.p.length) this.fail("unmatched ')'");
    return node;
  }

  alt(flags: Flags): RNode {
    const items = [this.concat(flags)];
    while (this.p[this.i] === '|') {
      this.i++;
      items.push(this.concat(flags));
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  concat(start: Flags): RNode {
    let flags = start;
    const items: RNode[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const set = /^\(\?([ims]+)\)/.exec(this.p.slice(this.i));
      if (set) {
        flags = this.withFlags(flags, set[1]!);
        this.i += set[0].length;
        continue;
      }
      items.push(this.quantified(this.atom(flags)));
    }
    return items.length === 1 ? items[0]! : { t: 'concat', items };
  }

  withFlags(flags: Flags, letters: string): Flags {
    return {
      i: flags.i || letters.includes('i'),
      m: flags.m || letters.includes('m'),
      s: flags.s || letters.includes('s'),
    };
  }

  quantified(atom: RNode): RNode {
    const at = this.i;
    const q = this.quantifier();
    if (!q) return atom;
    if (this.p[this.i] === '?') this.i++; // lazy: the same set of matches
    if (this.quantifier()) this.fail('a repetition cannot itself be repeated (e.g. a**); use a group: (a*)*', at);
    return { t: 'repeat', node: atom, min: q.min, max: q.max };
  }

  quantifier(): { min: number; max: number } | undefined {
    const c = this.p[this.i];
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      return { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity };
    }
    if (c !== '{') return undefined;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
    if (!m) return undefined; // a `{` that starts no repetition is a literal, as in RE2
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
      this.fail(`repetition counts are limited to ${MAX_REPEAT}`);
    }
    if (max < min) this.fail(`invalid repetition {${m[1]}${m[2]}}: the maximum is below the minimum`);
    this.i += m[0].length;
    return { min, max };
  }

  atom(flags: Flags): RNode {
    const c = this.p[this.i]!;
    const at = this.i;
    switch (c) {
      case '(':
        return this.group(flags);
      case '[':
        return this.charClass(flags);
      case '.':
        this.i++;
        return { t: 'any', dotAll: flags.s };
      case '^':
        this.i++;
        return { t: 'assert', kind: flags.m ? 'bol' : 'bot' };
      case '$':
        this.i++;
        return { t: 'assert', kind: flags.m ? 'eol' : 'eot' };
      case '\\':
        return this.escape(flags, false);
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat before '${c}'; escape it as \\${c} to match it literally`, at);
      default: {
        if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.p.slice(this.i))) this.fail("nothing to repeat before '{'", at);
        const cp = this.p.codePointAt(this.i)!;
        this.i += cp > 0xffff ? 2 : 1;
        return { t: 'char', cp, fold: flags.i };
      }
    }
  }

  group(outer: Flags): RNode {
    const open = this.i;
    const rest = this.p.slice(this.i);
    let flags = outer;
    if (/^\(\?(=|!|<=|<!)/.test(rest)) this.fail('lookahead and lookbehind are not supported (RE2 syntax)');
    const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
    const scoped = /^\(\?([ims]*):/.exec(rest);
    if (named) this.i += named[0].length;
    else if (scoped) {
      flags = this.withFlags(flags, scoped[1]!);
      this.i += scoped[0].length;
    } else if (rest.startsWith('(?')) this.fail('unsupported group syntax after (?');
    else this.i++;
    const body = this.alt(flags);
    if (this.p[this.i] !== ')') this.fail("missing ')' to close the group", open);
    this.i++;
    return body;
  }

  charClass(flags: Flags): RNode {
    const open = this.i;
    this.i++;
    const negated = this.p[this.i] === '^';
    if (negated) this.i++;
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      if (this.i >= this.p.length) this.fail("missing ']' to close the character class", open);
      const c = this.p[this.i]!;
      if (c === ']' && !first) break;
      first = false;
      const lo = this.classAtom(flags);
      if (typeof lo !== 'number') {
        ranges.push(...lo);
        continue;
      }
      if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.i + 1 < this.p.length) {
        const dash = this.i;
        this.i++;
        const hi = this.classAtom(flags);
        if (typeof hi !== 'number') this.fail('a range cannot end in a class such as \\d', dash);
        if (hi < lo) this.fail('invalid range in character class: its end is before its start', dash);
        ranges.push(lo, hi);
      } else ranges.push(lo, lo);
    }
    this.i++;
    return { t: 'class', ranges, negated, fold: flags.i };
  }

  /** One character of a class, or the ranges of an escape such as `\d`. */
  classAtom(flags: Flags): number | readonly number[] {
    if (this.p[this.i] === '\\') {
      const node = this.escape(flags, true);
      if (node.t === 'char') return node.cp;
      if (node.t === 'class') return node.negated ? complement(node.ranges) : node.ranges;
      return this.fail('this escape cannot be used inside [...]');
    }
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  escape(flags: Flags, inClass: boolean): RNode {
    const at = this.i;
    const c = this.p[this.i + 1];
    if (c === undefined) this.fail('the pattern ends with a lone backslash', at);
    this.i += 2;
    const cls = (ranges: readonly number[], negated: boolean): RNode => ({ t: 'class', ranges, negated, fold: false });
    const char = (cp: number): RNode => ({ t: 'char', cp, fold: flags.i });
    switch (c) {
      case 'd':
        return cls(DIGIT, false);
      case 'D':
        return cls(DIGIT, true);
      case 'w':
        return cls(WORD, false);
      case 'W':
        return cls(WORD, true);
      case 's':
        return cls(SPACE, false);
      case 'S':
        return cls(SPACE, true);
      case 'n':
        return char(10);
      case 't':
        return char(9);
      case 'r':
        return char(13);
      case 'f':
        return char(12);
      case 'v':
        return char(11);
      case 'b':
        return inClass ? char(8) : { t: 'assert', kind: 'word' };
      case 'B':
        if (!inClass) return { t: 'assert', kind: 'notWord' };
        break;
      case 'A':
        if (!inClass) return { t: 'assert', kind: 'bot' };
        break;
      case 'z':
        if (!inClass) return { t: 'assert', kind: 'eot' };
        break;
      case 'x':
      case 'u': {
        const m = (c === 'x' ? /^(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{2}))/ : /^()([0-9a-fA-F]{4})/).exec(
          this.p.slice(this.i),
        );
        const hex = m?.[1] || m?.[2];
        if (!m || !hex || parseInt(hex, 16) > MAX_CP) return this.fail(`invalid \\${c} escape`, at);
        this.i += m[0].length;
        return char(parseInt(hex, 16));
      }
      case 'p':
      case 'P':
        return this.fail('unicode classes (\\p) are not supported', at);
    }
    if (c >= '0' && c <= '9') return this.fail('backreferences (\\1) are not supported (RE2 syntax)', at);
    if (/[A-Za-z]/.test(c)) return this.fail(`unknown escape \\${c}`, at);
    return char(c.codePointAt(0)!);
  }
}

/** Number of instructions `node` compiles to, computed before emitting repetitions. */
function programSize(node: RNode): number {
  switch (node.t) {
    case 'concat':
      return node.items.reduce((n, item) => n + programSize(item), 0);
    case 'alt':
      return node.items.reduce((n, item) => n + programSize(item) + 2, 0);
    case 'repeat': {
      const body = programSize(node.node);
      const copies = node.max === Infinity ? node.min + 1 : node.max;
      return copies * (body + 2);
    }
    default:
      return 1;
  }
}

function simpleFold(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const out = [cp];
  for (const other of [s.toLowerCase(), s.toUpperCase()]) {
    const c = other.codePointAt(0)!;
    if (other.length === s.length && !out.includes(c)) out.push(c);
  }
  return out;
}

function emit(node: RNode, prog: Inst[]): void {
  switch (node.t) {
    case 'char':
      prog.push({ op: 'char', cps: node.fold ? simpleFold(node.cp) : [node.cp] });
      return;
    case 'class':
      prog.push({ op: 'class', ranges: node.ranges, negated: node.negated, fold: node.fold });
      return;
    case 'any':
      prog.push({ op: 'any', dotAll: node.dotAll });
      return;
    case 'assert':
      prog.push({ op: 'assert', kind: node.kind });
      return;
    case 'concat':
      for (const item of node.items) emit(item, prog);
      return;
    case 'alt': {
      const jumps: { op: 'jmp'; x: number }[] = [];
      node.items.forEach((item, k) => {
        if (k === node.items.length - 1) return emit(item, prog);
        const split: Inst = { op: 'split', x: prog.length + 1, y: 0 };
        prog.push(split);
        emit(item, prog);
        const jump: { op: 'jmp'; x: number } = { op: 'jmp', x: 0 };
        jumps.push(jump);
        prog.push(jump);
        split.y = prog.length;
      });
      for (const jump of jumps) jump.x = prog.length;
      return;
    }
    case 'repeat': {
      for (let k = 0; k < node.min; k++) emit(node.node, prog);
      if (node.max === Infinity) {
        const loop: Inst = { op: 'split', x: prog.length + 1, y: 0 };
        prog.push(loop);
        const top = prog.length - 1;
        emit(node.node, prog);
        prog.push({ op: 'jmp', x: top });
        loop.y = prog.length;
        return;
      }
      const skips: { op: 'split'; x: number; y: number }[] = [];
      for (let k = node.min; k < node.max; k++) {
        const skip: { op: 'split'; x: number; y: number } = { op: 'split', x: prog.length + 1, y: 0 };
        skips.push(skip);
        prog.push(skip);
        emit(node.node, prog);
      }
      for (const skip of skips) skip.y = prog.length;
      return;
    }
  }
}

const isWordChar = (cp: number): boolean =>
  (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95;

function inRanges(ranges: readonly number[], cp: number): boolean {
  for (let k = 0; k < ranges.length; k += 2) if (cp >= ranges[k]! && cp <= ranges[k + 1]!) return true;
  return false;
}

function foldVariants(cp: number): number[] {
  if (cp < 128) {
    if (cp >= 65 && cp <= 90) return [cp, cp + 32];
    if (cp >= 97 && cp <= 122) return [cp, cp - 32];
    return [cp];
  }
  return simpleFold(cp);
}

function consumes(inst: Inst, cp: number): boolean {
  switch (inst.op) {
    case 'char':
      return inst.cps.includes(cp);
    case 'any':
      return inst.dotAll || cp !== 10;
    case 'class': {
      const hit = inst.fold ? foldVariants(cp).some((v) => inRanges(inst.ranges, v)) : inRanges(inst.ranges, cp);
      return hit !== inst.negated;
    }
    default:
      return false;
  }
}

function holds(kind: AssertKind, prev: number, cur: number): boolean {
  switch (kind) {
    case 'bot':
      return prev === -1;
    case 'eot':
      return cur === -1;
    case 'bol':
      return prev === -1 || prev === 10;
    case 'eol':
      return cur === -1 || cur === 10;
    case 'word':
      return isWordChar(prev) !== isWordChar(cur);
    case 'notWord':
      return isWordChar(prev) === isWordChar(cur);
  }
}

/** A set of program counters with O(1) add, membership and clear. */
class PcSet {
  readonly dense: Int32Array;
  readonly sparse: Int32Array;
  size = 0;
  constructor(n: number) {
    this.dense = new Int32Array(n);
    this.sparse = new Int32Array(n);
  }
  has(pc: number): boolean {
    const k = this.sparse[pc]!;
    return k < this.size && this.dense[k] === pc;
  }
  add(pc: number): void {
    this.sparse[pc] = this.size;
    this.dense[this.size++] = pc;
  }
}

/** Characters skipped per step: by the native indexOf, or by a JavaScript loop (see CHARS_PER_STEP). */
const SCAN_CHARS_PER_STEP = 128;
const LOOP_CHARS_PER_STEP = 16;

/**
 * How a match can start: the instructions that read its first character, and that character
 * when it is one fixed literal. While no thread is alive, the search skips characters that
 * cannot start a match (with indexOf for a literal) instead of running the machine on them.
 * Undefined when a match may start with an assertion or be empty.
 */
function startOf(prog: readonly Inst[]): { readonly reads: readonly Inst[]; readonly literal?: string } | undefined {
  const seen = new Set<number>();
  const stack = [0];
  const reads: Inst[] = [];
  while (stack.length > 0) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const inst = prog[pc]!;
    if (inst.op === 'jmp') stack.push(inst.x);
    else if (inst.op === 'split') stack.push(inst.x, inst.y);
    else if (inst.op === 'char' || inst.op === 'class' || inst.op === 'any') reads.push(inst);
    else return undefined;
  }
  const only = reads[0];
  if (reads.length === 1 && only?.op === 'char' && only.cps.length === 1) {
    return { reads, literal: String.fromCodePoint(only.cps[0]!) };
  }
  return { reads };
}

/** The Pike VM. Searches are synchronous, so one set of buffers per pattern is enough. */
class Machine implements SafeRegex {
  readonly anchored: boolean;
  readonly start: ReturnType<typeof startOf>;
  /** For ASCII code units: 1 when a match can start with it (see `skip`). */
  readonly #startsAscii = new Uint8Array(128);
  #current: PcSet;
  #next: PcSet;
  readonly #stack: Int32Array;

  constructor(
    readonly source: string,
    readonly prog: readonly Inst[],
  ) {
    const first = prog[0];
    this.anchored = first?.op === 'assert' && first.kind === 'bot';
    this.start = startOf(prog);
    for (let c = 0; c < 128; c++) {
      this.#startsAscii[c] = this.start?.reads.some((inst) => consumes(inst, c)) ? 1 : 0;
    }
    this.#current = new PcSet(prog.length);
    this.#next = new PcSet(prog.length);
    this.#stack = new Int32Array(2 * prog.length + 2);
  }

  /** Adds the threads reachable from `start` without reading; true when one of them matches. */
  add(set: PcSet, start: number, prev: number, cur: number): boolean {
    const stack = this.#stack;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const pc = stack[--top]!;
      if (set.has(pc)) continue;
      set.add(pc);
      const inst = this.prog[pc]!;
      switch (inst.op) {
        case 'match':
          return true;
        case 'jmp':
          stack[top++] = inst.x;
          break;
        case 'split':
          stack[top++] = inst.y;
          stack[top++] = inst.x;
          break;
        case 'assert':
          if (holds(inst.kind, prev, cur)) stack[top++] = pc + 1;
          break;
      }
    }
    return false;
  }

  /** The first position from `from` where a match could start, or -1. */
  skip(subject: string, from: number): number {
    const { literal, reads } = this.start!;
    if (literal !== undefined) return subject.indexOf(literal, from);
    const ascii = this.#startsAscii;
    for (let i = from; i < subject.length;) {
      const unit = subject.charCodeAt(i);
      if (unit < 128) {
        if (ascii[unit] === 1) return i;
        i++;
        continue;
      }
      const cp = subject.codePointAt(i)!;
      if (reads.some((inst) => consumes(inst, cp))) return i;
      i += cp > 0xffff ? 2 : 1;
    }
    return -1;
  }

  search(subject: string, maxSteps: number): { found: boolean; steps: number } {
    let clist = this.#current;
    let nlist = this.#next;
    clist.size = 0;
    nlist.size = 0;
    let steps = 0;
    let found = false;
    let i = 0;
    let prev = -1;
    for (;;) {
      if (this.start && clist.size === 0) {
        const at = this.skip(subject, i);
        const perStep = this.start.literal === undefined ? LOOP_CHARS_PER_STEP : SCAN_CHARS_PER_STEP;
        steps += 1 + Math.floor(((at === -1 ? subject.length : at) - i) / perStep);
        if (at === -1 || steps > maxSteps) break;
        if (at > i) {
          // No assertion starts this program, so the previous character only feeds later ones.
          prev = subject.charCodeAt(at - 1);
          i = at;
        }
      }
      const cur = i < subject.length ? subject.codePointAt(i)! : -1;
      if ((!this.anchored || i === 0) && this.add(clist, 0, prev, cur)) {
        found = true;
        break;
      }
      if (cur === -1 || clist.size === 0) break;
      steps += clist.size;
      if (steps > maxSteps) break;
      const width = cur > 0xffff ? 2 : 1;
      const next = i + width < subject.length ? subject.codePointAt(i + width)! : -1;
      for (let k = 0; k < clist.size; k++) {
        const pc = clist.dense[k]!;
        if (consumes(this.prog[pc]!, cur) && this.add(nlist, pc + 1, cur, next)) {
          found = true;
          break;
        }
      }
      if (found) break;
      const swap = clist;
      clist = nlist;
      nlist = swap;
      nlist.size = 0;
      prev = cur;
      i += width;
    }
    return { found, steps };
  }
}

const isDotStar = (node: RNode): boolean =>
  node.t === 'repeat' && node.min === 0 && node.max === Infinity && node.node.t === 'any';

/**
 * A search only asks whether the pattern occurs somewhere, and `.*` may match nothing, so a
 * leading or trailing `.*` (as in the habitual `.*error.*`) changes no answer: dropping it lets
 * the search skip ahead to the literal instead of stepping through every character.
 */
function trimDotStars(tree: RNode): RNode {
  if (tree.t !== 'concat') return tree;
  const items = [...tree.items];
  while (items.length > 0 && isDotStar(items[0]!)) items.shift();
  while (items.length > 0 && isDotStar(items[items.length - 1]!)) items.pop();
  return { t: 'concat', items };
}

/** Compiles an RE2-syntax pattern, or says what is wrong with it and where (0-based offset). */
export function compileRegex(pattern: string): RegexResult {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      message: `the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
      offset: MAX_PATTERN_LENGTH,
    };
  }
  try {
    const tree = trimDotStars(new PatternParser(pattern).parse());
    if (programSize(tree) > MAX_PROGRAM) {
      return { ok: false, message: 'the pattern is too complex (its repetitions expand too far)', offset: 0 };
    }
    const prog: Inst[] = [];
    emit(tree, prog);
    prog.push({ op: 'match' });
    return { ok: true, regex: new Machine(pattern, prog) };
  } catch (e) {
    if (e instanceof RegexSyntaxError) return { ok: false, message: e.message, offset: e.offset };
    throw e;
  }
}
