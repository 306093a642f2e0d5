import { useCallback, useRef, useState, type UIEvent } from 'react';
import { rowAt, rowWindow, scrollToShow } from './rowWindow';

// Until the list's size is known (first ResizeObserver callback, or none in jsdom): a tall screen.
const UNKNOWN_VIEWPORT = 1_000;

/**
 * The rows of a fixed-height list to render, from its scroll offset and height: O(visible rows)
 * per update. State changes only when the top row or the height does, not on every scrolled pixel.
 */
export function useRowWindow(count: number, rowHeight: number, overscan: number) {
  const [first, setFirst] = useState(0);
  const [viewport, setViewport] = useState(UNKNOWN_VIEWPORT);
  const element = useRef<HTMLDivElement | null>(null);
  // The offset as last scrolled or set; reading scrollTop after new rows would force a layout.
  const scrolledTo = useRef(0);

  const ref = useCallback((el: HTMLDivElement | null) => {
    element.current = el;
    if (!el) return;
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(([entry]) => {
            if (entry) setViewport(entry.contentRect.height);
          });
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      element.current = null;
      // The list comes back at the top.
      scrolledTo.current = 0;
      setFirst(0);
    };
  }, []);

  const scrollTo = (top: number) => {
    const el = element.current;
    if (!el) return;
    el.scrollTop = top;
    scrolledTo.current = top;
    // Render the rows for the new offset before paint rather than on the scroll event a frame later.
    setFirst(rowAt(top, rowHeight));
  };

  return {
    ref,
    element,
    window: rowWindow(first, viewport, rowHeight, count, overscan),
    /** The offset the user scrolled to (0 at the top). */
    scrolledTo,
    onScroll: (e: UIEvent<HTMLDivElement>) => {
      scrolledTo.current = e.currentTarget.scrollTop;
      setFirst(rowAt(scrolledTo.current, rowHeight));
    },
    scrollBy: (dy: number) => scrollTo(scrolledTo.current + dy),
    /** Scrolls as little as needed for the row to be fully visible. */
    scrollToIndex: (index: number) => {
      const top = scrollToShow(index, scrolledTo.current, viewport, rowHeight);
      if (top !== null) scrollTo(top);
    },
  };
}
