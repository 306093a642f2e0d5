import type { FlowEvent } from '@flowscope/shared';
import { useEffect, useEffectEvent } from 'react';
import { isEditable } from '../../lib/keyboard';

type Options = Readonly<{
  events: readonly FlowEvent[];
  cursorId: string | null;
  inspectorOpen: boolean;
  moveCursor: (id: string) => void;
  open: (id: string) => void;
  close: () => void;
}>;

/** The id `step` places after `from` in flow order (the first or last when there is none). */
export function nextStepId(events: readonly FlowEvent[], from: string | null, step: 1 | -1): string | null {
  const at = from ? events.findIndex((e) => e.id === from) : -1;
  const i = at < 0 ? (step === 1 ? 0 : events.length - 1) : Math.min(events.length - 1, Math.max(0, at + step));
  return events[i]?.id ?? null;
}

/**
 * Steps from the keyboard: j/k or ↓/↑ move between steps (an open inspector follows), Enter opens
 * the step, Esc closes it. Typing in a field is never hijacked.
 */
export function useTraceKeyboard(o: Options) {
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') {
      if (o.inspectorOpen && !isEditable(e.target)) {
        e.preventDefault();
        o.close();
      }
      return;
    }
    if (isEditable(e.target)) return;
    // Arrow keys inside a tab list switch tabs; leave them alone there.
    const inTabs = e.target instanceof Element && e.target.closest('[role="tablist"]') !== null;
    let step: 1 | -1 | 0 = 0;
    if (e.key === 'j' || (e.key === 'ArrowDown' && !inTabs)) step = 1;
    if (e.key === 'k' || (e.key === 'ArrowUp' && !inTabs)) step = -1;
    if (step !== 0) {
      e.preventDefault();
      const id = nextStepId(o.events, o.cursorId, step);
      if (id) o.moveCursor(id);
      return;
    }
    if (e.key === 'Enter' && o.cursorId) {
      // Enter on a button or link does its own thing.
      if (e.target instanceof HTMLElement && e.target.closest('button, a, [role="button"]')) return;
      e.preventDefault();
      o.open(o.cursorId);
    }
  });

  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
