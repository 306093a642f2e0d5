/** Compiles a regex syntax tree into the instructions of the Pike VM (regexMachine.ts). */
import type { AssertKind, RNode } from './regexParser.js';

export type Inst =
  | { readonly op: 'char'; readonly cps: readonly number[] }
  | { readonly op: 'class'; readonly ranges: readonly number[]; readonly negated: boolean; readonly fold: boolean }
  | { readonly op: 'any'; readonly dotAll: boolean }
  | { readonly op: 'assert'; readonly kind: AssertKind }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { readonly op: 'match' };

/** Number of instructions `node` compiles to, computed before emitting repetitions. */
export function programSize(node: RNode): number {
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

export function simpleFold(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const out = [cp];
  for (const other of [s.toLowerCase(), s.toUpperCase()]) {
    const c = other.codePointAt(0)!;
    if (other.length === s.length && !out.includes(c)) out.push(c);
  }
  return out;
}

export function emit(node: RNode, prog: Inst[]): void {
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
