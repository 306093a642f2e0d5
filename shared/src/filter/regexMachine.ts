/** Runs a compiled program over a subject, all threads in step: time linear in the subject. */
import type { AssertKind } from './regexParser.js';
import { simpleFold, type Inst } from './regexProgram.js';

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
export class Machine {
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
