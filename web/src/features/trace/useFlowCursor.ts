import type { Flow } from '@flowscope/shared';
import { useCallback, useState, type RefObject } from 'react';
import { nextStepId, useTraceKeyboard } from './useTraceKeyboard';

type Options = Readonly<{
  flow: Flow | undefined;
  /** The step open in the inspector (from the URL), or null. */
  step: string | null;
  selectStep: (id: string | null) => void;
  /** Where the diagram's step marks are, to move focus to the cursor. */
  mainRef: RefObject<HTMLElement | null>;
}>;

/**
 * The keyboard cursor over a flow's steps and the step picked elsewhere (a path row, an anomaly):
 * j/k move the cursor (an open inspector follows), Enter opens, Esc closes.
 */
export function useFlowCursor({ flow, step, selectStep, mainRef }: Options) {
  const [cursor, setCursor] = useState<string | null>(null);
  const [highlightStep, setHighlightStep] = useState<string | null>(null);
  const events = flow?.events ?? [];
  const cursorId = cursor && events.some((e) => e.id === cursor) ? cursor : step;

  const select = useCallback(
    (id: string) => {
      setCursor(id);
      setHighlightStep(null);
      selectStep(id);
    },
    [selectStep],
  );
  const moveCursor = (id: string) => {
    setCursor(id);
    if (step) selectStep(id); // an open inspector follows the cursor
    // Focus follows too: the diagram scrolls to the step and Enter acts on it.
    requestAnimationFrame(() => {
      const mark = mainRef.current?.querySelector<SVGElement>(`[role="button"][data-event-id="${CSS.escape(id)}"]`);
      mark?.focus();
    });
  };
  useTraceKeyboard({
    events,
    cursorId,
    inspectorOpen: step !== null,
    moveCursor,
    open: select,
    close: () => selectStep(null),
  });
  const move = (d: 1 | -1) => {
    const id = step ? nextStepId(events, step, d) : null;
    if (id) select(id);
  };
  return { cursorId, select, move, highlightStep, setHighlightStep };
}
