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
import { Machine } from './regexMachine.js';
import { PatternParser, RegexSyntaxError, type RNode } from './regexParser.js';
import { emit, programSize, type Inst } from './regexProgram.js';

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
const MAX_PROGRAM = 5000;

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
