import { children, type Node } from './ast.js';
import { FilterSyntaxError, where } from './errors.js';
import { filterNames, signatureOf, type StaticType } from './names.js';

/**
 * Compile-time checks on a parsed filter. They reject only what can never work on any event
 * (`channel == 5`, `offset > 100`, `size(3)`, a filter that is a number), so a user learns of
 * the mistake while typing instead of seeing an empty result. Anything reading the payload is
 * `dyn` and passes: payloads differ from event to event.
 */

const DESCRIBE: Record<Exclude<StaticType, 'dyn'>, string> = {
  bool: 'a boolean',
  number: 'a number',
  string: 'a string',
  list: 'a list',
  map: 'a map',
  null: 'null',
};

const ORDERED = new Set<StaticType>(['number', 'string', 'dyn']);

class Checker {
  constructor(
    readonly source: string,
    readonly maxDepth: number,
  ) {}

  text(node: Node): string {
    const text = this.source.slice(node.start, node.end).trim();
    return text.length > 30 ? `${text.slice(0, 29)}…` : text;
  }

  /** `message` receives "at line L, column C" for `pos`. */
  fail(pos: number, message: (at: string) => string): never {
    throw new FilterSyntaxError(message(where(this.source, pos)), pos);
  }

  /** The type `node` has on every event, or `dyn`. */
  typeOf(node: Node): StaticType {
    switch (node.kind) {
      case 'literal': {
        const v = node.value;
        if (v === null) return 'null';
        if (typeof v === 'boolean') return 'bool';
        return typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'dyn';
      }
      case 'list':
        return 'list';
      case 'env':
        return filterNames[node.name].type;
      case 'field':
      case 'index':
        // Header values and correlation key values are always text.
        return node.target.kind === 'env' && (node.target.name === 'headers' || node.target.name === 'keys')
          ? 'string'
          : 'dyn';
      case 'call':
        return signatureOf(node.fn).returns;
      case 'has':
      case 'comprehension':
      case 'not':
      case 'logical':
        return 'bool';
      case 'negate':
        return 'number';
      case 'binary': {
        if (node.op === '+') {
          const l = this.typeOf(node.left);
          return l !== 'dyn' && l === this.typeOf(node.right) ? l : 'dyn';
        }
        return ['-', '*', '/', '%'].includes(node.op) ? 'number' : 'bool';
      }
      case 'conditional': {
        const a = this.typeOf(node.then);
        return a === this.typeOf(node.otherwise) ? a : 'dyn';
      }
      case 'var':
        return 'dyn';
    }
  }

  /** `node` must give true or false. */
  condition(node: Node, context: string): void {
    const type = this.typeOf(node);
    if (type === 'bool' || type === 'dyn') return;
    const text = this.text(node);
    const hint =
      type === 'number'
        ? `compare it, e.g. ${text} > 0`
        : type === 'string'
          ? `compare it, e.g. ${text} == "…"`
          : type === 'list' || type === 'map'
            ? `test it, e.g. size(${text}) > 0`
            : 'use a condition';
    this.fail(
      node.start,
      (at) => `${context} must be a condition (true or false) ${at}, but ${text} is ${DESCRIBE[type]}: ${hint}`,
    );
  }

  /** `node` must be of one of the `allowed` types; `message(type, text, at)` says why not. */
  operand(
    node: Node,
    allowed: readonly StaticType[],
    message: (type: string, text: string, at: string) => string,
  ): void {
    const type = this.typeOf(node);
    if (type === 'dyn' || allowed.includes(type)) return;
    this.fail(node.start, (at) => message(DESCRIBE[type], this.text(node), at));
  }

  check(node: Node, depth: number): void {
    if (depth > this.maxDepth) {
      this.fail(
        node.pos,
        (at) => `The filter is nested too deeply ${at}: at most ${this.maxDepth} levels are allowed; simplify it`,
      );
    }
    for (const child of children(node)) this.check(child, depth + 1);
    this.rules(node);
  }

  rules(node: Node): void {
    switch (node.kind) {
      case 'logical':
        for (const operand of node.operands) this.condition(operand, `Each side of '${node.op}'`);
        return;
      case 'not':
        return this.condition(node.operand, "What follows '!'");
      case 'conditional':
        return this.condition(node.test, "The test before '?'");
      case 'comprehension':
        this.condition(node.predicate, `The condition of ${node.quantifier}()`);
        return this.operand(
          node.range,
          ['list', 'map'],
          (t, x, at) => `${node.quantifier}() needs a list or map ${at}, but ${x} is ${t}`,
        );
      case 'negate':
        return this.operand(node.operand, ['number'], (t, x, at) => `'-' needs a number ${at}, but ${x} is ${t}`);
      case 'field':
        return this.operand(node.target, ['map'], (t, x, at) => `${x} is ${t} and has no fields ${at}`);
      case 'index':
        return this.operand(
          node.target,
          ['map', 'list'],
          (t, x, at) => `${x} is ${t} and cannot be indexed with [] ${at}`,
        );
      case 'binary':
        return this.binary(node);
      case 'call':
        return this.call(node);
      default:
        return;
    }
  }

  binary(node: Extract<Node, { kind: 'binary' }>): void {
    const l = this.typeOf(node.left);
    const r = this.typeOf(node.right);
    const known = l !== 'dyn' && r !== 'dyn';
    const lt = this.text(node.left);
    const rt = this.text(node.right);
    switch (node.op) {
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (known && (l === 'null' || r === 'null') && l !== r) {
          const field = l === 'null' ? rt : lt;
          this.fail(node.pos, (at) => `${field} is never null ${at}: to test whether it is present, use has(${field})`);
        }
        if (known && l !== r) {
          this.fail(
            node.pos,
            (at) =>
              `${lt} is ${DESCRIBE[l]} and ${rt} is ${DESCRIBE[r]} ${at}: values of different types never match ` +
              '(there is no conversion); convert one side with string(…), int(…) or double(…)',
          );
        }
        if (node.op !== '==' && node.op !== '!=' && (!ORDERED.has(l) || !ORDERED.has(r))) {
          const [bad, type] = ORDERED.has(l) ? [rt, r] : [lt, l];
          this.fail(
            node.pos,
            (at) => `'${node.op}' compares numbers or strings ${at}, but ${bad} is ${DESCRIBE[type as 'bool']}`,
          );
        }
        return;
      }
      case 'in':
        this.operand(
          node.right,
          ['list', 'string', 'map'],
          (t, x, at) => `'in' needs a list, string or map on its right ${at}, but ${x} is ${t}`,
        );
        if (r === 'string' || r === 'map') {
          this.operand(node.left, ['string'], (t, x, at) => `'in' looks for text in ${rt} ${at}, but ${x} is ${t}`);
        }
        return;
      case '+':
        if (known && !(l === r && (l === 'number' || l === 'string' || l === 'list'))) {
          this.fail(
            node.pos,
            (at) =>
              `Cannot add ${DESCRIBE[l as 'bool']} and ${DESCRIBE[r as 'bool']} ${at}: '+' adds numbers or joins strings or lists; ` +
              'convert one side with string(…) or double(…)',
          );
        }
        return;
      default:
        this.operand(node.left, ['number'], (t, x, at) => `'${node.op}' needs numbers ${at}, but ${x} is ${t}`);
        this.operand(node.right, ['number'], (t, x, at) => `'${node.op}' needs numbers ${at}, but ${x} is ${t}`);
        return;
    }
  }

  call(node: Extract<Node, { kind: 'call' }>): void {
    const [first, second] = node.args;
    const fn = node.fn;
    switch (fn) {
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'matches': {
        const listHint = (t: string): string =>
          fn === 'contains' && t === 'a list' ? '; to look for an item in a list, write item in list' : '';
        this.operand(first!, ['string'], (t, x, at) => `${fn}() works on text ${at}, but ${x} is ${t}${listHint(t)}`);
        this.operand(second!, ['string'], (t, x, at) => `${fn}() needs text to look for ${at}, but ${x} is ${t}`);
        return;
      }
      case 'lower':
      case 'upper':
        return this.operand(first!, ['string'], (t, x, at) => `${fn}() works on text ${at}, but ${x} is ${t}`);
      case 'size':
        return this.operand(
          first!,
          ['string', 'list', 'map'],
          (t, x, at) => `size() measures text, lists and maps ${at}, but ${x} is ${t}`,
        );
      case 'int':
      case 'double':
        return this.operand(
          first!,
          ['number', 'string'],
          (t, x, at) => `${fn}() converts a number or text ${at}, but ${x} is ${t}`,
        );
      case 'string':
        return this.operand(
          first!,
          ['string', 'number', 'bool', 'null'],
          (t, x, at) => `string() cannot convert ${x}, which is ${t} ${at}`,
        );
    }
  }
}

/** Throws FilterSyntaxError when `root` is too deep or can never work (see the module comment). */
export function check(root: Node, source: string, maxDepth: number): void {
  const checker = new Checker(source, maxDepth);
  checker.check(root, 1);
  checker.condition(root, 'A filter');
}
