import { useVirtualizer } from '@tanstack/react-virtual';
import { useImperativeHandle, useLayoutEffect, useRef, type ReactNode, type Ref } from 'react';
import { isGap, type LiveItem } from '../../stores/liveStore';
import { EventRow, GapRow, ROW_HEIGHT, rowDomId } from './StreamRow';
import { rowKey } from './streamRows';
import { streamMarkers } from './stream.markers';

export type StreamListHandle = Readonly<{
  focus: () => void;
  scrollToIndex: (index: number) => void;
  contains: (target: EventTarget | null) => boolean;
}>;

type StreamListProps = Readonly<{
  rows: readonly LiveItem[];
  cursorId: string | null;
  openId: string | null;
  onSelect: (id: string) => void;
  /** Rendered instead of the list when there are no rows. */
  empty: ReactNode;
  ref?: Ref<StreamListHandle>;
}>;

/** Newest-first virtualized rows; keeps what the user is looking at in place as rows arrive on top. */
export function StreamList({ rows, cursorId, openId, onSelect, empty, ref }: StreamListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual hands out fresh functions by design; this list does not rely on memoisation.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => {
      const row = rows[i];
      return row ? rowKey(row) : i;
    },
  });

  useImperativeHandle(ref, () => ({
    focus: () => scrollRef.current?.focus({ preventScroll: true }),
    scrollToIndex: (index: number) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    contains: (target) => target instanceof Node && (scrollRef.current?.contains(target) ?? false),
  }));

  // Rows arrive at the top. When the user has scrolled down, shift by what arrived so the rows
  // they are reading stay put; at the very top the newest simply appear. The offset comes from
  // scroll events: reading scrollTop right after new rows would force a layout on every batch.
  const firstKey = useRef<string | null>(null);
  const scrolledTo = useRef(0);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const first = rows[0];
    const previous = firstKey.current;
    firstKey.current = first ? rowKey(first) : null;
    if (!el) scrolledTo.current = 0; // the list comes back at the top
    if (!el || !previous || scrolledTo.current <= 0 || !first || rowKey(first) === previous) return;
    const shift = rows.findIndex((r) => rowKey(r) === previous);
    if (shift > 0) el.scrollTop += shift * ROW_HEIGHT;
  }, [rows]);

  const cursorIndex = cursorId ? rows.findIndex((r) => !isGap(r) && r.id === cursorId) : -1;
  const cursorRow = cursorIndex >= 0 ? rows[cursorIndex] : undefined;

  if (rows.length === 0) return <>{empty}</>;

  return (
    <div
      ref={scrollRef}
      className="fs-stream__scroll"
      role="listbox"
      tabIndex={0}
      aria-label="Events, newest first"
      aria-activedescendant={cursorRow ? rowDomId(rowKey(cursorRow)) : undefined}
      data-testid={streamMarkers.list}
      onScroll={(e) => (scrolledTo.current = e.currentTarget.scrollTop)}
    >
      <div className="fs-stream__sizer" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index];
          if (!row) return null;
          const key = rowKey(row);
          const style = { transform: `translateY(${v.start}px)`, height: ROW_HEIGHT };
          return isGap(row) ? (
            <GapRow key={key} gap={row} domId={rowDomId(key)} style={style} index={v.index} total={rows.length} />
          ) : (
            <EventRow
              key={key}
              event={row}
              domId={rowDomId(key)}
              style={style}
              index={v.index}
              total={rows.length}
              cursor={row.id === cursorId}
              open={row.id === openId}
              onSelect={onSelect}
            />
          );
        })}
      </div>
    </div>
  );
}
