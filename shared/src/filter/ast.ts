import type { EnvName } from './names.js';
import type { SafeRegex } from './regex.js';
import type { Value } from './values.js';

/**
 * Every node carries `pos`, the offset reported in messages about it (the operator of a binary
 * node, the name of a call), and `start`/`end`, the span of source text it was parsed from.
 */
type Span = { readonly pos: number; readonly start: number; readonly end: number };

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%';

/** Built-in functions; `exists`, `all` and `has` are macros with their own nodes. */
export type FunctionName =
  'contains' | 'startsWith' | 'endsWith' | 'matches' | 'size' | 'lower' | 'upper' | 'string' | 'int' | 'double';

export type Node =
  | (Span & { readonly kind: 'literal'; readonly value: Value })
  | (Span & { readonly kind: 'list'; readonly items: readonly Node[] })
  /** A top-level name of the event environment. */
  | (Span & { readonly kind: 'env'; readonly name: EnvName })
  /** A variable bound by `exists`/`all`; `slot` is its nesting depth. */
  | (Span & { readonly kind: 'var'; readonly name: string; readonly slot: number })
  | (Span & { readonly kind: 'field'; readonly target: Node; readonly name: string })
  | (Span & { readonly kind: 'index'; readonly target: Node; readonly index: Node })
  | (Span & {
      readonly kind: 'call';
      readonly fn: FunctionName;
      /** Receiver first for methods (`s.contains(x)` → [s, x]), then the arguments. */
      readonly args: readonly Node[];
      /** Compiled once when the pattern of `matches` is a literal. */
      readonly regex?: SafeRegex;
    })
  | (Span & { readonly kind: 'has'; readonly target: Node })
  | (Span & {
      readonly kind: 'comprehension';
      readonly quantifier: 'exists' | 'all';
      readonly range: Node;
      readonly variable: string;
      readonly slot: number;
      readonly predicate: Node;
    })
  | (Span & { readonly kind: 'not'; readonly operand: Node })
  | (Span & { readonly kind: 'negate'; readonly operand: Node })
  | (Span & { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node })
  /** `a && b && c` is one node, so long chains of conditions stay shallow. */
  | (Span & { readonly kind: 'logical'; readonly op: '&&' | '||'; readonly operands: readonly Node[] })
  | (Span & { readonly kind: 'conditional'; readonly test: Node; readonly then: Node; readonly otherwise: Node });

/** The direct sub-expressions of `node`, left to right. */
export function children(node: Node): readonly Node[] {
  switch (node.kind) {
    case 'literal':
    case 'env':
    case 'var':
      return [];
    case 'list':
      return node.items;
    case 'field':
    case 'has':
      return [node.target];
    case 'index':
      return [node.target, node.index];
    case 'call':
      return node.args;
    case 'comprehension':
      return [node.range, node.predicate];
    case 'not':
    case 'negate':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'logical':
      return node.operands;
    case 'conditional':
      return [node.test, node.then, node.otherwise];
  }
}

/** True when `node` or a node below it satisfies `test`. */
export function some(node: Node, test: (n: Node) => boolean): boolean {
  return test(node) || children(node).some((child) => some(child, test));
}
