import { useEffect, useEffectEvent, type RefObject } from 'react';
import { isEditable } from '../../../lib/keyboard';

/** Closes on Esc: at once when pressed inside `scope`, else only if nothing else took it and no field has focus. */
export function useEscapeToClose(scope: RefObject<HTMLElement | null> | undefined, onClose: () => void) {
  const close = useEffectEvent(onClose);
  useEffect(() => {
    const inside = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (scope?.current && e.target instanceof Node && scope.current.contains(e.target)) {
        e.preventDefault();
        close();
      }
    };
    const anywhere = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || isEditable(e.target)) return;
      e.preventDefault();
      close();
    };
    document.addEventListener('keydown', inside, true);
    window.addEventListener('keydown', anywhere);
    return () => {
      document.removeEventListener('keydown', inside, true);
      window.removeEventListener('keydown', anywhere);
    };
  }, [scope]);
}
