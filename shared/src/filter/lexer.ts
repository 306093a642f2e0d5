import { FilterSyntaxError, where } from './errors.js';

type TokenKind = 'name' | 'number' | 'string' | 'op' | 'invalid' | 'eof';

/** One token; `pos`/`end` are 0-based offsets into the source, `end` exclusive. */
export type Token = {
  readonly kind: TokenKind;
  /** The source text of the token (for `eof`, ''). */
  readonly text: string;
  /** Decoded value of a number or string literal. */
  readonly value?: number | string;
  readonly pos: number;
  readonly end: number;
};

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '(', ')', '[', ']', '{', '}', '.', ',', '?', ':', '!', '<', '>'];
const SINGLE_OPERATORS = new Set(['+', '-', '*', '/', '%', ...OPERATORS.filter((op) => op.length === 1)]);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isSpace = (ch: string): boolean => /\s/.test(ch);

/** Splits a filter into tokens; throws FilterSyntaxError for malformed literals. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    const ch = source[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '/' && source[i + 1] === '/') {
      // A comment runs to the end of the line.
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if ((ch === 'r' || ch === 'R') && (source[i + 1] === '"' || source[i + 1] === "'")) {
      tokens.push(readString(source, i + 1, true, start));
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    if (isNameStart(c)) {
      while (i < source.length && isNamePart(source.charCodeAt(i))) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), pos: start, end: i });
      continue;
    }
    if (isDigit(c)) {
      tokens.push(readNumber(source, start));
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    if (ch === '"' || ch === "'") {
      tokens.push(readString(source, i, false, start));
      i = tokens[tokens.length - 1]!.end;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two.length === 2 && OPERATORS.includes(two)) {
      tokens.push({ kind: 'op', text: two, pos: start, end: i + 2 });
      i += 2;
      continue;
    }
    if (SINGLE_OPERATORS.has(ch)) {
      tokens.push({ kind: 'op', text: ch, pos: start, end: i + 1 });
      i++;
      continue;
    }
    // Left to the parser, which knows what it expected here (`&` → "use &&", `=` → "use ==").
    const point = String.fromCodePoint(source.codePointAt(i)!);
    tokens.push({ kind: 'invalid', text: point, pos: start, end: i + point.length });
    i += point.length;
  }
  // End of input is reported just after the last visible character, not after trailing blanks.
  const eof = source.trimEnd().length;
  tokens.push({ kind: 'eof', text: '', pos: eof, end: eof });
  return tokens;
}

function readNumber(source: string, start: number): Token {
  let i = start;
  let value: number;
  if (source[i] === '0' && (source[i + 1] === 'x' || source[i + 1] === 'X') && isHex(source.charCodeAt(i + 2))) {
    i += 2;
    while (isHex(source.charCodeAt(i))) i++;
    value = parseInt(source.slice(start + 2, i), 16);
  } else {
    while (isDigit(source.charCodeAt(i))) i++;
    if (source[i] === '.' && isDigit(source.charCodeAt(i + 1))) {
      i++;
      while (isDigit(source.charCodeAt(i))) i++;
    }
    if (source[i] === 'e' || source[i] === 'E') {
      let j = i + 1;
      if (source[j] === '+' || source[j] === '-') j++;
      if (isDigit(source.charCodeAt(j))) {
        while (isDigit(source.charCodeAt(j))) j++;
        i = j;
      }
    }
    value = Number(source.slice(start, i));
  }
  if (i < source.length && (isNamePart(source.charCodeAt(i)) || source[i] === '.')) {
    let j = i;
    while (j < source.length && (isNamePart(source.charCodeAt(j)) || source[j] === '.')) j++;
    const text = source.slice(start, j);
    // `1.foo` is a (pointless) member access, not a malformed number.
    if (source[i] !== '.' || !isNameStart(source.charCodeAt(i + 1))) {
      throw new FilterSyntaxError(`Invalid number '${text}' ${where(source, start)}`, start);
    }
  }
  if (!Number.isFinite(value)) {
    throw new FilterSyntaxError(`Number too large ${where(source, start)}`, start);
  }
  return { kind: 'number', text: source.slice(start, i), value, pos: start, end: i };
}

const SIMPLE_ESCAPES = new Map([
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
  ['\\', '\\'],
  ['"', '"'],
  ["'", "'"],
]);

function readString(source: string, quoteAt: number, raw: boolean, start: number): Token {
  const quote = source[quoteAt]!;
  let i = quoteAt + 1;
  let value = '';
  for (;;) {
    if (i >= source.length || source[i] === '\n') {
      throw new FilterSyntaxError(
        `Unterminated string starting ${where(source, start)}: add the closing ${quote}`,
        start,
      );
    }
    const ch = source[i]!;
    if (ch === quote) {
      i++;
      break;
    }
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    if (raw) {
      // A raw string keeps backslashes; `\"` still cannot end it.
      const next = source[i + 1];
      value += next === quote ? '\\' + quote : '\\';
      i += next === quote ? 2 : 1;
      continue;
    }
    const next = source[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES.get(next);
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    if (next === 'u') {
      const decoded = readUnicodeEscape(source, i);
      value += decoded.text;
      i = decoded.end;
      continue;
    }
    const shown = next === '' || next === '\n' ? '\\' : `\\${next}`;
    throw new FilterSyntaxError(
      `Unknown escape '${shown}' in a string ${where(source, i)}: ` +
        `use \\\\ for a backslash, or a raw string such as r"\\d+" for a regular expression`,
      i,
    );
  }
  return { kind: 'string', text: source.slice(start, i), value, pos: start, end: i };
}

/** `\uXXXX` or `\u{X…}` starting at the backslash at `at`. */
function readUnicodeEscape(source: string, at: number): { text: string; end: number } {
  const bad = (): never => {
    throw new FilterSyntaxError(
      `Invalid unicode escape ${where(source, at)}: write \\u followed by four hex digits, e.g. \\u00e9`,
      at,
    );
  };
  if (source[at + 2] === '{') {
    const close = source.indexOf('}', at + 3);
    const hex = close === -1 ? '' : source.slice(at + 3, close);
    if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) return bad();
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return bad();
    return { text: String.fromCodePoint(code), end: close + 1 };
  }
  const hex = source.slice(at + 2, at + 6);
  if (!/^[0-9a-fA-F]{4}$/.test(hex)) return bad();
  return { text: String.fromCharCode(parseInt(hex, 16)), end: at + 6 };
}
