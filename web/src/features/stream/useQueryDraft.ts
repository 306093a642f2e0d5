import { useEffect, useRef, useState } from 'react';

const WRITE_DELAY_MS = 250;

/**
 * The filter text as typed, written to the URL after a short pause. The URL updates in a
 * transition, so binding the input to it directly would drop keystrokes while typing fast.
 * Changes that come from the URL itself (clear filters, back button) are taken over.
 */
export function useQueryDraft(query: string, setQuery: (q: string) => void) {
  const [draft, setDraft] = useState(query);
  const written = useRef(query);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (query === written.current) return;
    written.current = query;
    clearTimeout(timer.current);
    setDraft(query);
  }, [query]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const change = (next: string) => {
    setDraft(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      written.current = next;
      setQuery(next);
    }, WRITE_DELAY_MS);
  };
  return [draft, change] as const;
}
