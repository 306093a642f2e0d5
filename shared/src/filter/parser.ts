import type { BinaryOp, FunctionName, Node } from './ast.js';
import { closest, FilterSyntaxError, where } from './errors.js';
import { bindingPower, clip, INFIX_HINTS, KEYWORDS, RELATIONS, unexpected, usageOf } from './grammar.js';
import { tokenize, type Token } from './lexer.js';
import { envNameList, globalFunctions, isEnvName, isFunctionName, methodFunctions, signatureOf } from './names.js';
import { compileRegex } from './regex.js';

/**
 * Recursive-descent (Pratt) parser: tokens → AST. Precedence, loosest first, as in CEL:
 * `? :` (right-associative), `||`, `&&`, relations (`== != < <= > >= in`, not chainable),
 * `+ -`, `* / %`, unary `! -`, then member access, indexing and calls.
 */
class Parser {
  readonly tokens: Token[];
  k = 0;
  depth = 0;
  /** Variables bound by enclosing `exists`/`all`, innermost last. */
  readonly scopes: string[] = [];

  constructor(
    readonly source: string,
    readonly maxDepth: number,
  ) {
    this.tokens = tokenize(source);
  }

  peek(): Token {
    return this.tokens[this.k]!;
  }
  next(): Token {
    const tok = this.tokens[this.k]!;
    if (tok.kind !== 'eof') this.k++;
    return tok;
  }
  is(text: string): boolean {
    const tok = this.peek();
    return tok.kind === 'op' && tok.text === text;
  }
  fail(message: string, pos: number): never {
    throw new FilterSyntaxError(message, pos);
  }
  failAt(tok: Token, expected: string): never {
    return this.fail(`${unexpected(tok)} ${where(this.source, tok.pos)}: ${expected}`, tok.pos);
  }
  expect(text: string, expected: string): Token {
    if (!this.is(text)) this.failAt(this.peek(), expected);
    return this.next();
  }
  enter(tok: Token): void {
    if (++this.depth > this.maxDepth) this.tooDeep(tok.pos);
  }
  tooDeep(pos: number): never {
    return this.fail(
      `The filter is nested too deeply ${where(this.source, pos)}: at most ${this.maxDepth} levels are allowed; ` +
        'simplify it',
      pos,
    );
  }

  parseFilter(): Node | undefined {
    // Blank (or comment-only) filters match everything.
    if (this.peek().kind === 'eof') return undefined;
    const node = this.expression(0);
    const tok = this.peek();
    if (tok.kind !== 'eof') {
      const hint = INFIX_HINTS.get(tok.text);
      const expected =
        tok.kind === 'op' && tok.text === ')'
          ? "there is no '(' to close"
          : (hint ?? 'expected an operator such as &&, || or ==, or the end of the filter');
      this.failAt(tok, expected);
    }
    return node;
  }

  expression(minPower: number): Node {
    this.enter(this.peek());
    let left = this.prefix();
    let lastWasRelation = false;
    for (;;) {
      const tok = this.peek();
      const power = bindingPower(tok);
      if (power <= minPower) break;
      this.next();
      const op = tok.text;
      if (op === '?') {
        const then = this.expression(1);
        this.expect(':', "expected ':' and the value to use otherwise, as in cond ? a : b");
        const otherwise = this.expression(0);
        left = {
          kind: 'conditional',
          test: left,
          then,
          otherwise,
          pos: tok.pos,
          start: left.start,
          end: otherwise.end,
        };
        lastWasRelation = false;
        continue;
      }
      if (RELATIONS.has(op) && lastWasRelation) {
        this.fail(
          `Comparisons cannot be chained ${where(this.source, tok.pos)}: write a < b && b < c instead of a < b < c`,
          tok.pos,
        );
      }
      const right = this.expression(power);
      if (op === '&&' || op === '||') {
        // Chains of one logical operator become one node, so they stay shallow.
        const operands = left.kind === 'logical' && left.op === op ? [...left.operands, right] : [left, right];
        left = { kind: 'logical', op, operands, pos: tok.pos, start: left.start, end: right.end };
      } else {
        left = { kind: 'binary', op: op as BinaryOp, left, right, pos: tok.pos, start: left.start, end: right.end };
      }
      lastWasRelation = RELATIONS.has(op);
    }
    this.depth--;
    return left;
  }

  prefix(): Node {
    const tok = this.next();
    this.enter(tok);
    let node: Node;
    if (tok.kind === 'op' && (tok.text === '!' || tok.text === '-')) {
      const operand = this.prefix();
      if (tok.text === '-' && operand.kind === 'literal' && typeof operand.value === 'number') {
        node = { kind: 'literal', value: -operand.value, pos: tok.pos, start: tok.pos, end: operand.end };
      } else {
        const kind = tok.text === '!' ? ('not' as const) : ('negate' as const);
        node = { kind, operand, pos: tok.pos, start: tok.pos, end: operand.end };
      }
      this.depth--;
      return node;
    }
    node = this.primary(tok);
    node = this.postfix(node);
    this.depth--;
    return node;
  }

  primary(tok: Token): Node {
    const span = { pos: tok.pos, start: tok.pos, end: tok.end };
    switch (tok.kind) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: tok.value!, ...span };
      case 'name':
        return this.name(tok);
      case 'op':
        if (tok.text === '(') {
          const inner = this.expression(0);
          const close = this.peek();
          if (!this.is(')')) {
            this.failAt(close, `expected ')' to close the '(' ${where(this.source, tok.pos)}`);
          }
          this.next();
          return { ...inner, start: tok.pos, end: close.end };
        }
        if (tok.text === '[') return this.list(tok);
        if (tok.text === '{') {
          return this.fail(`Map literals {…} are not supported ${where(this.source, tok.pos)}`, tok.pos);
        }
        if (tok.text === '.' && this.peek().kind === 'number') {
          return this.failAt(tok, `expected an expression; write 0.${this.peek().text} for a fraction`);
        }
        return this.failAt(tok, 'expected an expression');
      default:
        return this.failAt(tok, 'expected an expression');
    }
  }

  list(open: Token): Node {
    const items: Node[] = [];
    while (!this.is(']')) {
      items.push(this.expression(0));
      if (this.is(',')) {
        this.next();
        continue;
      }
      if (!this.is(']'))
        this.failAt(this.peek(), `expected ',' or ']' to close the list ${where(this.source, open.pos)}`);
    }
    const close = this.next();
    return { kind: 'list', items, pos: open.pos, start: open.pos, end: close.end };
  }

  name(tok: Token): Node {
    const span = { pos: tok.pos, start: tok.pos, end: tok.end };
    const name = tok.text;
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', ...span };
    if (name === 'null') return { kind: 'literal', value: null, ...span };
    if (name === 'in') return this.failAt(tok, 'expected an expression');
    if (this.is('(')) return this.globalCall(tok);
    const slot = this.scopes.lastIndexOf(name);
    if (slot !== -1) return { kind: 'var', name, slot, ...span };
    if (isEnvName(name)) return { kind: 'env', name, ...span };
    return this.unknownName(tok);
  }

  unknownName(tok: Token): never {
    const name = tok.text;
    const at = `Unknown name '${clip(name)}' ${where(this.source, tok.pos)}`;
    if (name === 'not') return this.fail(`${at}: use '!' for not`, tok.pos);
    const suggestion = closest(name, [...envNameList, ...this.scopes]);
    if (suggestion) return this.fail(`${at}: did you mean ${suggestion}?`, tok.pos);
    return this.fail(
      `${at}: available names are ${envNameList.join(', ')}; ` + `text values need quotes, e.g. "${clip(name)}"`,
      tok.pos,
    );
  }

  postfix(start: Node): Node {
    let node = start;
    for (;;) {
      if (this.is('.')) {
        const dot = this.next();
        const tok = this.next();
        if (tok.kind !== 'name') this.failAt(tok, "expected a field name after '.'");
        if (this.is('(')) {
          node = this.methodCall(node, tok);
        } else {
          node = { kind: 'field', target: node, name: tok.text, pos: dot.pos, start: node.start, end: tok.end };
        }
        continue;
      }
      if (this.is('[')) {
        const open = this.next();
        const index = this.expression(0);
        const close = this.expect(']', `expected ']' to close the '[' ${where(this.source, open.pos)}`);
        node = { kind: 'index', target: node, index, pos: open.pos, start: node.start, end: close.end };
        continue;
      }
      return node;
    }
  }

  /** Arguments after an already-peeked '(' up to and including ')'. */
  args(): { args: Node[]; close: Token } {
    const open = this.next();
    const args: Node[] = [];
    while (!this.is(')')) {
      args.push(this.expression(0));
      if (this.is(',')) {
        this.next();
        continue;
      }
      if (!this.is(')')) {
        this.failAt(this.peek(), `expected ',' or ')' to close the call ${where(this.source, open.pos)}`);
      }
    }
    return { args, close: this.next() };
  }

  unknownFunction(tok: Token, kind: 'function' | 'method', available: readonly string[]): never {
    const at = `Unknown ${kind} '${clip(tok.text)}' ${where(this.source, tok.pos)}`;
    const suggestion = closest(tok.text, available);
    const list = `available ${kind}s are ${available.join(', ')}`;
    return this.fail(suggestion ? `${at}: did you mean ${suggestion}? (${list})` : `${at}: ${list}`, tok.pos);
  }

  checkArity(tok: Token, args: readonly Node[], expected: number, usage: string): void {
    if (args.length === expected) return;
    const plural = expected === 1 ? 'argument' : 'arguments';
    this.fail(
      `${tok.text}() takes ${expected} ${plural}, got ${args.length} ${where(this.source, tok.pos)}: write ${usage}`,
      tok.pos,
    );
  }

  globalCall(tok: Token): Node {
    const name = tok.text;
    if (!isFunctionName(name) || signatureOf(name).global === undefined) {
      if (isFunctionName(name)) {
        return this.fail(
          `${name} is a method ${where(this.source, tok.pos)}: write it after its subject, e.g. s.${name}(…)`,
          tok.pos,
        );
      }
      return this.unknownFunction(tok, 'function', globalFunctions);
    }
    if (name === 'exists' || name === 'all') {
      this.next();
      this.enter(tok);
      const range = this.expression(0);
      this.expect(',', `expected ',' and a variable name, as in ${name}(list, x, x > 1)`);
      const node = this.comprehension(tok, name, range, range.start);
      this.depth--;
      return node;
    }
    const { args, close } = this.args();
    const span = { pos: tok.pos, start: tok.pos, end: close.end };
    if (name === 'has') {
      this.checkArity(tok, args, 1, 'has(payload.field)');
      const target = args[0]!;
      if (target.kind !== 'field' && target.kind !== 'index' && target.kind !== 'env') {
        this.fail(
          `has() needs a field ${where(this.source, target.start)}: write e.g. has(payload.amount)`,
          target.start,
        );
      }
      return { kind: 'has', target, ...span };
    }
    const fn = name as FunctionName;
    this.checkArity(tok, args, signatureOf(name).global!, usageOf(name, false));
    return this.call(fn, args, span);
  }

  methodCall(target: Node, tok: Token): Node {
    const name = tok.text;
    if (!isFunctionName(name) || signatureOf(name).method === undefined) {
      if (isFunctionName(name)) {
        return this.fail(`${name} is a function ${where(this.source, tok.pos)}: write ${name}(…)`, tok.pos);
      }
      return this.unknownFunction(tok, 'method', methodFunctions);
    }
    if (name === 'exists' || name === 'all') {
      this.next();
      this.enter(tok);
      const node = this.comprehension(tok, name, target, target.start);
      this.depth--;
      return node;
    }
    const { args, close } = this.args();
    this.checkArity(tok, args, signatureOf(name).method!, usageOf(name, true));
    return this.call(name as FunctionName, [target, ...args], { pos: tok.pos, start: target.start, end: close.end });
  }

  /** The rest of `exists`/`all` after the range: `x, predicate)`. */
  comprehension(tok: Token, quantifier: 'exists' | 'all', range: Node, start: number): Node {
    const variable = this.next();
    const example = `${quantifier}(x, x > 1)`;
    if (variable.kind !== 'name' || KEYWORDS.has(variable.text)) {
      this.failAt(variable, `expected a variable name, as in list.${example}`);
    }
    if (isEnvName(variable.text)) {
      this.fail(
        `'${variable.text}' is already a name of the event ${where(this.source, variable.pos)}: ` +
          'choose another variable name, e.g. x',
        variable.pos,
      );
    }
    this.expect(',', `expected ',' and a condition, as in list.${example}`);
    this.scopes.push(variable.text);
    const predicate = this.expression(0);
    this.scopes.pop();
    const close = this.expect(')', `expected ')' to close ${quantifier}(`);
    return {
      kind: 'comprehension',
      quantifier,
      range,
      variable: variable.text,
      slot: this.scopes.length,
      predicate,
      pos: tok.pos,
      start,
      end: close.end,
    };
  }

  call(fn: FunctionName, args: Node[], span: { pos: number; start: number; end: number }): Node {
    const pattern = args[1];
    if (fn === 'matches' && pattern?.kind === 'literal' && typeof pattern.value === 'string') {
      const compiled = compileRegex(pattern.value);
      if (!compiled.ok) {
        const at = this.patternOffset(pattern, compiled.offset);
        this.fail(`Invalid regular expression ${where(this.source, at)}: ${compiled.message}`, at);
      }
      return { kind: 'call', fn, args, regex: compiled.regex, ...span };
    }
    return { kind: 'call', fn, args, ...span };
  }

  /** Source position of character `offset` of a literal pattern, when escapes do not blur it. */
  patternOffset(literal: Node, offset: number): number {
    const text = this.source.slice(literal.start, literal.end);
    const quote = text.startsWith('r') || text.startsWith('R') ? 2 : 1;
    const inner = text.slice(quote, -1);
    const value = (literal as { value: unknown }).value;
    return inner === value ? literal.start + quote + Math.min(offset, inner.length) : literal.start;
  }
}

/** Parses a filter into its AST (undefined when blank); throws FilterSyntaxError for the user. */
export function parse(source: string, maxDepth: number): Node | undefined {
  return new Parser(source, maxDepth).parseFilter();
}
