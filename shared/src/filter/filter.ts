import type { FlowEvent } from '../model/flowEvent.js';
import { some, type Node } from './ast.js';
import { check } from './check.js';
import { filterError, FilterSyntaxError, type FilterError } from './errors.js';
import { BudgetExceeded, Evaluation, EvaluationError, RegexCache } from './evaluate.js';
import { LazyInput, toInput, type FilterInput } from './input.js';
import { parse } from './parser.js';

export type { FilterError } from './errors.js';
export type { FilterInput } from './input.js';

/**
 * Bounds on a filter. `maxSteps` is the evaluation budget per event: a step is one expression
 * node visited, one regular-expression state advanced by one character, or a stretch of text
 * work (128 characters scanned, 8 parsed as JSON; see CHARS_PER_STEP). A step takes about 60 ns,
 * so the default budget caps one evaluation at roughly 10-15 ms. There is no clock in shared:
 * the budget counts work, not time.
 */
export type FilterLimits = {
  readonly maxSourceLength: number;
  readonly maxDepth: number;
  readonly maxSteps: number;
};

export const defaultFilterLimits: FilterLimits = { maxSourceLength: 2000, maxDepth: 64, maxSteps: 200_000 };

/** The outcome of one evaluation: whether the event matches, or why the filter failed on it. */
export type FilterResult =
  { readonly ok: true; readonly value: boolean } | { readonly ok: false; readonly error: string };

/** A compiled filter: the same object serves REST queries, live subscriptions and the UI preview. */
export interface CompiledFilter {
  /** The text the filter was compiled from. */
  readonly source: string;
  /** True when the filter reads payload content (`payload` or `payloadText`). */
  readonly usesPayload: boolean;
  /** Whether `event` matches; an evaluation that fails (budget exceeded, wrong type) is no match. */
  test(event: FlowEvent | FilterInput): boolean;
  /** Whether `event` matches, or the reason the filter could not decide. Never throws. */
  evaluate(event: FlowEvent | FilterInput): FilterResult;
  /**
   * Steps every evaluation so far took, in total: what a request or a live batch has spent, for
   * the caller to bound (each evaluation is bounded by `maxSteps`; many of them are not).
   */
  readonly spent: number;
}

export type CompileFilterResult =
  { readonly ok: true; readonly filter: CompiledFilter } | { readonly ok: false; readonly error: FilterError };

const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

class Filter implements CompiledFilter {
  readonly usesPayload: boolean;
  readonly #regexes = new RegexCache();
  spent = 0;

  constructor(
    readonly source: string,
    readonly root: Node | undefined,
    readonly limits: FilterLimits,
  ) {
    this.usesPayload =
      root !== undefined && some(root, (n) => n.kind === 'env' && (n.name === 'payload' || n.name === 'payloadText'));
  }

  test(event: FlowEvent | FilterInput): boolean {
    const result = this.evaluate(event);
    return result.ok && result.value;
  }

  evaluate(event: FlowEvent | FilterInput): FilterResult {
    if (!this.root) return { ok: true, value: true };
    const run = new Evaluation(this.source, toInput(event), this.limits.maxSteps, this.#regexes);
    try {
      return { ok: true, value: run.bool(this.root, 'The filter') };
    } catch (e) {
      return this.failure(e);
    } finally {
      this.spent += Math.min(run.steps, this.limits.maxSteps);
    }
  }

  private failure(e: unknown): FilterResult {
    if (e instanceof BudgetExceeded) {
      return {
        ok: false,
        error:
          `The filter used up its evaluation budget of ${grouped(this.limits.maxSteps)} steps on this event: ` +
          'simplify it, e.g. avoid nested exists() over long lists or regular expressions over large payloads',
      };
    }
    if (e instanceof EvaluationError) return { ok: false, error: e.message };
    if (e instanceof RangeError) {
      // Comparing or walking a pathologically nested payload can exhaust the call stack.
      return {
        ok: false,
        error: 'The filter could not be evaluated on this event: its payload is nested too deeply',
      };
    }
    return { ok: false, error: `Internal error while evaluating the filter: ${String(e)}` };
  }
}

/**
 * Compiles a filter expression (see LANGUAGE.md in this folder), e.g.
 * `channel == "payments" && payload.amount > 100`. A blank source matches every event. Errors
 * name what was found and what was expected, with the position, line, column and an excerpt.
 */
export function compileFilter(source: string, limits: Partial<FilterLimits> = {}): CompileFilterResult {
  const bounds: FilterLimits = { ...defaultFilterLimits, ...limits };
  if (source.length > bounds.maxSourceLength) {
    const message =
      `The filter is too long: ${grouped(source.length)} characters, ` +
      `at most ${grouped(bounds.maxSourceLength)} are allowed`;
    return { ok: false, error: filterError(source, bounds.maxSourceLength, message) };
  }
  try {
    const root = parse(source, bounds.maxDepth);
    if (root) check(root, source, bounds.maxDepth);
    return { ok: true, filter: new Filter(source, root, bounds) };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: filterError(source, e.position, e.message) };
    return { ok: false, error: filterError(source, 0, `Internal error while reading the filter: ${String(e)}`) };
  }
}

/**
 * Prepares one event for several filters: its headers, keys and decoded payload are then built
 * once and shared. Drop it with the event; it keeps the parsed payload alive while held. Pass
 * `json`, the payload's value, when it was already parsed (the server's ingest parses it once).
 */
export const createFilterInput = (event: FlowEvent, json?: unknown): FilterInput => new LazyInput(event, json);
