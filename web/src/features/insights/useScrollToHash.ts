import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/**
 * Scrolls to the section the address names (`/insights#ordering`) once the page has its data:
 * the browser's own jump happens before the sections exist. Focus moves there too, for keyboards.
 */
export function useScrollToHash(ready: boolean) {
  const { hash } = useLocation();
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!ready || !hash) return;
    let anchor: string;
    try {
      anchor = decodeURIComponent(hash.slice(1));
    } catch {
      return; // `#%E0`: no section of ours
    }
    if (done.current === anchor) return;
    const target = document.getElementById(anchor);
    if (!target) return;
    done.current = anchor;
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }, [ready, hash]);
}
