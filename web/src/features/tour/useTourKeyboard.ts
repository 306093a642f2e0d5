import { useEffect } from 'react';
import { isEditable } from '../../lib/keyboard';
import { tourMoveFor, type TourMove } from './tourSteps';

/** ←/k, →/j, Home, End and Esc move through the tour; typing in a field is never hijacked. */
export function useTourKeyboard(move: (m: TourMove) => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      const m = tourMoveFor(e.key);
      if (!m) return;
      e.preventDefault();
      move(m);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move]);
}
