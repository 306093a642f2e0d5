import { useImperativeHandle, useLayoutEffect, useRef, type ReactNode, type Ref } from 'react';
import { isGap, type LiveItem } from '../../stores/liveStore';
import { EventRow, GapRow, ROW_HEIGHT, rowDomId } from './StreamRow';
import { rowKey } from './streamRows';
import { streamMarkers } from './stream.markers';
import { useRowWindow } from './useRowWindow';

export type StreamListHandle = Readonly<{
  focus: () => void;
  scrollToIndex: (index: number) => void;
  contains: (target: EventTarget | null) => boolean;
}>;

export type StreamListProps = Readonly<{
  rows: readonly LiveItem[];
  cursorId: string | null;
  openId: string | null;
  onSelect: (id: string) => void;
  /** Rows to single out (the flow a breakpoint stopped in), with their class. */
  marked?: Readonly<{ ids: ReadonlySet<string>; className: string }> | null | undefined;
  /** Rendered instead of the list when there are no rows. */
  empty: ReactNode;
  ref?: Ref<StreamListHandle>;
}>;

/** Newest-first windowed rows; keeps what the user is looking at in place as rows arrive on top. */
export function StreamList({ rows, cursorId, openId, onSelect, marked, empty, ref }: StreamListProps) {
  // Rows are all ROW_HEIGHT tall: the window follows from the offset, whatever the number of rows.
  const {
    ref: listRef,
    element: scrollEl,
    scrolledTo,
    window: range,
    onScroll,
    scrollBy,
    scrollToIndex,
  } = useRowWindow(rows.length, ROW_HEIGHT, 12);

  useImperativeHandle(ref, () => ({
    focus: () => scrollEl.current?.focus({ preventScroll: true }),
    scrollToIndex,
    contains: (target) => target instanceof Node && (scrollEl.current?.contains(target) ?? false),
  }));

  // Rows arrive at the top. When the user has scrolled down, shift by what arrived so the rows
  // they are reading stay put; at the very top the newest simply appear.
  const firstKey = useRef<string | null>(null);
  useLayoutEffect(() => {
    const first = rows[0];
    const previous = firstKey.current;
    firstKey.current = first ? rowKey(first) : null;
    if (!previous || scrolledTo.current <= 0 || !first || rowKey(first) === previous) return;
    const shift = rows.findIndex((r) => rowKey(r) === previous);
    if (shift > 0) scrollBy(shift * ROW_HEIGHT);
    // Only on new rows: the scroll helpers are new functions each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows]);

  const cursorIndex = cursorId ? rows.findIndex((r) => !isGap(r) && r.id === cursorId) : -1;
  const cursorRow = cursorIndex >= 0 ? rows[cursorIndex] : undefined;

  if (rows.length === 0) return <>{empty}</>;

  const shown: ReactNode[] = [];
  for (let index = range.start; index < range.end; index++) {
    const row = rows[index];
    if (!row) continue;
    const key = rowKey(row);
    const style = { transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT };
    shown.push(
      isGap(row) ? (
        <GapRow key={key} gap={row} domId={rowDomId(key)} style={style} index={index} total={rows.length} />
      ) : (
        <EventRow
          key={key}
          event={row}
          domId={rowDomId(key)}
          style={style}
          index={index}
          total={rows.length}
          cursor={row.id === cursorId}
          open={row.id === openId}
          marked={marked?.ids.has(row.id) ? marked.className : undefined}
          onSelect={onSelect}
        />
      ),
    );
  }

  return (
    <div
      ref={listRef}
      className="fs-stream__scroll"
      role="listbox"
      tabIndex={0}
      aria-label="Events, newest first"
      aria-activedescendant={cursorRow ? rowDomId(rowKey(cursorRow)) : undefined}
      data-testid={streamMarkers.list}
      onScroll={onScroll}
    >
      <div className="fs-stream__sizer" style={{ height: rows.length * ROW_HEIGHT }}>
        {shown}
      </div>
    </div>
  );
}
