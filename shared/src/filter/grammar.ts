/** The filter grammar's tables: operator precedence, keywords, and how tokens are named in messages. */
import type { Token } from './lexer.js';
import { signatureOf, type FilterFunctionName } from './names.js';

export const RELATIONS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in']);
export const KEYWORDS = new Set(['true', 'false', 'null', 'in']);

/** Left binding power of an infix operator token; higher binds tighter. */
export function bindingPower(tok: Token): number {
  if (tok.kind === 'name') return tok.text === 'in' ? 4 : 0;
  if (tok.kind !== 'op') return 0;
  switch (tok.text) {
    case '?':
      return 1;
    case '||':
      return 2;
    case '&&':
      return 3;
    case '+':
    case '-':
      return 5;
    case '*':
    case '/':
    case '%':
      return 6;
    default:
      return RELATIONS.has(tok.text) ? 4 : 0;
  }
}

export const clip = (text: string): string => (text.length > 30 ? `${text.slice(0, 29)}…` : text);

/** "Unexpected '&'", "Unexpected string "abc"", "Unexpected end of input". */
export function unexpected(tok: Token): string {
  switch (tok.kind) {
    case 'eof':
      return 'Unexpected end of input';
    case 'string':
      return `Unexpected string ${clip(tok.text)}`;
    case 'number':
      return `Unexpected number ${clip(tok.text)}`;
    default:
      return `Unexpected '${clip(tok.text)}'`;
  }
}

export const INFIX_HINTS = new Map([
  ['&', "use '&&' for and"],
  ['|', "use '||' for or"],
  ['=', "use '==' to compare"],
  ['and', "use '&&' for and"],
  ['or', "use '||' for or"],
]);

/** How a call is written, for arity messages: `s.startsWith(x)`, `matches(s, re)`. */
export function usageOf(name: FilterFunctionName, method: boolean): string {
  const arity = method ? signatureOf(name).method! : signatureOf(name).global!;
  const params = ['x', 'y'].slice(0, arity).join(', ');
  return method ? `s.${name}(${params})` : `${name}(${arity === 2 ? 's, re' : 'x'})`;
}
