import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export type ParamsPatch = Readonly<Record<string, string | null>>;

/**
 * The URL's query parameters and a function that changes some of them (null or '' removes one),
 * replacing the history entry: moving between events or steps should not flood the back button.
 */
export function useSearchParamsPatch() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (patch: ParamsPatch) =>
      setParams(
        () => {
          // The address bar, not the last render: two updates in one tick must not undo each other.
          const next = new URLSearchParams(window.location.search);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [params, update] as const;
}
