import { useEffect, useEffectEvent } from 'react';
import { isEditable } from '../../lib/keyboard';
import { isGap, type LiveItem } from '../../stores/liveStore';

type Options = Readonly<{
  rows: readonly LiveItem[];
  cursorId: string | null;
  inspectorOpen: boolean;
  moveCursor: (id: string) => void;
  open: (id: string) => void;
  close: () => void;
  focusFilter: () => void;
  isInStream: (target: EventTarget | null) => boolean;
}>;

function nextEventId(rows: readonly LiveItem[], from: string | null, step: 1 | -1): string | null {
  const start = from ? rows.findIndex((r) => !isGap(r) && r.id === from) : -1;
  let i = start === -1 ? (step === 1 ? 0 : -1) : start + step;
  for (; i >= 0 && i < rows.length; i += step) {
    const row = rows[i];
    if (row && !isGap(row)) return row.id;
  }
  return null;
}

/**
 * Stream shortcuts: `/` focuses the filter, j/k (and arrows inside the stream) move the cursor,
 * Enter inspects, Esc closes the inspector. Typing in a field is never hijacked.
 */
export function useStreamKeyboard(o: Options) {
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const editable = isEditable(e.target);
    if (e.key === 'Escape') {
      if (o.inspectorOpen) {
        e.preventDefault();
        o.close();
      }
      return;
    }
    if (editable) return;
    const inStream = o.isInStream(e.target) || e.target === document.body;
    let step: 1 | -1 | 0 = 0;
    if (e.key === 'j' || (e.key === 'ArrowDown' && inStream)) step = 1;
    if (e.key === 'k' || (e.key === 'ArrowUp' && inStream)) step = -1;
    if (step !== 0) {
      const id = nextEventId(o.rows, o.cursorId, step);
      e.preventDefault();
      if (id) o.moveCursor(id);
      return;
    }
    if (e.key === 'Enter' && inStream && o.cursorId) {
      e.preventDefault();
      o.open(o.cursorId);
    } else if (e.key === '/') {
      e.preventDefault();
      o.focusFilter();
    }
  });

  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
