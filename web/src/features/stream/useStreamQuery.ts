import type { FilterError } from '@flowscope/shared';
import { useMemo, useState } from 'react';
import { ALL, compileQuery, type FilterMode, type StreamQuery } from './streamRows';

export type StreamQueryState = Readonly<{
  /** What to filter by: the box's query, or while it does not compile, the last one that did. */
  query: StreamQuery;
  /** Why the expression in the box does not compile, if it does not. */
  error: FilterError | null;
}>;

/**
 * The filter box compiled once per text and mode. While an expression has a syntax error the
 * list keeps its last valid result instead of flashing every event on each half-typed keystroke.
 */
export function useStreamQuery(text: string, mode: FilterMode): StreamQueryState {
  const compiled = useMemo(() => compileQuery(text, mode), [text, mode]);
  const [lastValid, setLastValid] = useState<StreamQuery>(ALL);
  // Derived state from the previous render (React's documented pattern), not an effect: no extra paint.
  if (compiled.kind !== 'invalid' && compiled !== lastValid) setLastValid(compiled);
  return compiled.kind === 'invalid' ? { query: lastValid, error: compiled.error } : { query: compiled, error: null };
}
