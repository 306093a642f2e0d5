/** Reads an RE2-syntax pattern into a regex syntax tree (regex.ts says what is supported). */

const MAX_REPEAT = 1000;

export type AssertKind = 'bot' | 'eot' | 'bol' | 'eol' | 'word' | 'notWord';
type Flags = { readonly i: boolean; readonly m: boolean; readonly s: boolean };

export type RNode =
  | { readonly t: 'char'; readonly cp: number; readonly fold: boolean }
  | { readonly t: 'class'; readonly ranges: readonly number[]; readonly negated: boolean; readonly fold: boolean }
  | { readonly t: 'any'; readonly dotAll: boolean }
  | { readonly t: 'assert'; readonly kind: AssertKind }
  | { readonly t: 'concat'; readonly items: readonly RNode[] }
  | { readonly t: 'alt'; readonly items: readonly RNode[] }
  | { readonly t: 'repeat'; readonly node: RNode; readonly min: number; readonly max: number };

export class RegexSyntaxError extends Error {
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
export class PatternParser {
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
