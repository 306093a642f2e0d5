import { useCallback, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useDismiss } from '../../components/useDismiss';
import { useRecentFlows } from './queries';
import { suggestFlows, type Suggestion } from './suggestions';
import { useSlashFocus } from './useSlashFocus';

type Options = Readonly<{
  initialQuery: string;
  onSubmit: (query: string) => void;
  onOpenFlow: (flowId: string) => void;
}>;

/**
 * The search box's state: what is typed, the suggestions from recent flows, the active one
 * (↑/↓), Enter to pick it or to search, Esc and a press outside to close, `/` to focus.
 */
export function useTraceSearch({ initialQuery, onSubmit, onOpenFlow }: Options) {
  const [draft, setDraft] = useState(initialQuery);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const recent = useRecentFlows(open);
  const suggestions = useMemo(() => suggestFlows(recent.data ?? [], draft), [recent.data, draft]);
  const shown = open && suggestions.length > 0;

  const close = useCallback(() => {
    setOpen(false);
    setActive(-1);
  }, []);
  useDismiss(rootRef, open, close);
  useSlashFocus(inputRef);

  const pick = (s: Suggestion) => {
    close();
    onOpenFlow(s.flow.id);
  };
  const submit = () => {
    close();
    onSubmit(draft.trim());
  };
  const type = (value: string) => {
    setDraft(value);
    setOpen(true);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const last = suggestions.length - 1;
      setActive((a) => (e.key === 'ArrowDown' ? Math.min(a + 1, last) : Math.max(a - 1, -1)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = shown ? suggestions[active] : undefined;
      if (chosen) pick(chosen);
      else if (draft.trim()) submit();
    } else if (e.key === 'Escape' && !open) {
      inputRef.current?.blur();
    }
  };

  return {
    draft,
    type,
    openList: () => setOpen(true),
    suggestions,
    shown,
    active,
    setActive,
    listId,
    inputRef,
    rootRef,
    pick,
    submit,
    onKeyDown,
  };
}
