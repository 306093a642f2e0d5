import { useRef, useState } from 'react';
import type { LiveItem } from '../../stores/liveStore';
import type { StreamListHandle } from './StreamList';
import { indexOfEvent } from './streamRows';
import { useStreamKeyboard } from './useStreamKeyboard';

type Options = Readonly<{
  rows: readonly LiveItem[];
  /** The event open in the inspector (from the URL), or null. */
  openId: string | null;
  onOpen: (id: string) => void;
  onClose: () => void;
}>;

/**
 * The keyboard cursor over the stream's rows: j/k (and arrows in the list) move it and scroll to
 * it, an open inspector follows, Enter opens, Esc closes, `/` goes to the filter box.
 */
export function useStreamCursor({ rows, openId, onOpen, onClose }: Options) {
  const [cursor, setCursor] = useState<string | null>(openId);
  const cursorId = cursor ?? openId;
  const listRef = useRef<StreamListHandle>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  const moveCursor = (id: string) => {
    setCursor(id);
    const index = indexOfEvent(rows, id);
    if (index >= 0) listRef.current?.scrollToIndex(index);
    // Focus follows, so Enter then opens this row rather than pressing whatever had focus.
    listRef.current?.focus();
    if (openId) onOpen(id); // an open inspector follows the cursor
  };

  useStreamKeyboard({
    rows,
    cursorId,
    inspectorOpen: openId !== null,
    moveCursor,
    open: onOpen,
    close: () => {
      onClose();
      listRef.current?.focus();
    },
    focusFilter: () => filterRef.current?.focus(),
    isInStream: (t) => listRef.current?.contains(t) ?? false,
  });

  const select = (id: string) => {
    setCursor(id);
    onOpen(id);
  };
  /** Esc in the filter box: back to the events. */
  const leaveFilter = () => {
    filterRef.current?.blur();
    listRef.current?.focus();
  };
  return { cursorId, listRef, filterRef, select, leaveFilter };
}
