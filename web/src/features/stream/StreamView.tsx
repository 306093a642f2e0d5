import { useId, useMemo, useRef, useState } from 'react';
import { useLiveStore } from '../../stores/liveStore';
import {
  selectConnection,
  selectDropped,
  selectNewWhilePaused,
  selectPause,
  selectPaused,
  selectResume,
  selectVisibleItems,
} from '../../stores/liveStore';
import { useRecentEvents } from './queries';
import { StreamEmptyState } from './StreamEmptyState';
import { StreamFilterMessage } from './StreamFilterMessage';
import { StreamFooter } from './StreamFooter';
import { StreamList, type StreamListHandle } from './StreamList';
import { StreamToolbar } from './StreamToolbar';
import {
  countEvents,
  filterRows,
  indexOfEvent,
  isNarrowing,
  looksLikeExpression,
  mergeRows,
  parseNodeFilter,
  type FilterMode,
} from './streamRows';
import { streamMarkers } from './stream.markers';
import { useQueryDraft } from './useQueryDraft';
import { useStreamQuery } from './useStreamQuery';
import { useStreamKeyboard } from './useStreamKeyboard';
import './stream.css';

type StreamViewProps = Readonly<{
  openId: string | null;
  onOpen: (id: string) => void;
  onClose: () => void;
  query: string;
  onQueryChange: (q: string) => void;
  queryMode: FilterMode;
  onQueryModeChange: (mode: FilterMode) => void;
  nodeId: string | null;
  onClearNode: () => void;
  onClearFilters: () => void;
}>;

/** The live stream: wires the store, fetched history and keyboard to the list. */
export function StreamView(p: StreamViewProps) {
  const live = useLiveStore(selectVisibleItems);
  const dropped = useLiveStore(selectDropped);
  const paused = useLiveStore(selectPaused);
  const newWhilePaused = useLiveStore(selectNewWhilePaused);
  const connection = useLiveStore(selectConnection);
  const pause = useLiveStore(selectPause);
  const resume = useLiveStore(selectResume);

  const [query, setQuery] = useQueryDraft(p.query, p.onQueryChange);
  const typed = useStreamQuery(query, p.queryMode);
  // History is filtered by the server with the same evaluator, using the text once it is in the
  // URL: that pause in typing keeps each keystroke from becoming a request.
  const committed = useStreamQuery(p.query, p.queryMode).query;
  const historyFilter = committed.kind === 'expr' ? committed.filter.source : null;
  const history = useRecentEvents(historyFilter);

  const node = useMemo(() => parseNodeFilter(p.nodeId), [p.nodeId]);
  const all = useMemo(() => mergeRows(live, history.data ?? [], dropped), [live, history.data, dropped]);
  const rows = useMemo(() => {
    const filtered = filterRows(all, { query: typed.query, node });
    // Gap rows alone do not make a match: show "no events match" instead.
    return filtered !== all && countEvents(filtered) === 0 ? [] : filtered;
  }, [all, typed.query, node]);
  const messageId = useId();
  const suggestExpression = p.queryMode === 'text' && looksLikeExpression(query);

  const [cursor, setCursor] = useState<string | null>(p.openId);
  const cursorId = cursor ?? p.openId;
  const listRef = useRef<StreamListHandle>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  const moveCursor = (id: string) => {
    setCursor(id);
    const index = indexOfEvent(rows, id);
    if (index >= 0) listRef.current?.scrollToIndex(index);
    // Focus follows, so Enter then opens this row rather than pressing whatever had focus.
    listRef.current?.focus();
    if (p.openId) p.onOpen(id); // an open inspector follows the cursor
  };

  useStreamKeyboard({
    rows,
    cursorId,
    inspectorOpen: p.openId !== null,
    moveCursor,
    open: p.onOpen,
    close: () => {
      p.onClose();
      listRef.current?.focus();
    },
    focusFilter: () => filterRef.current?.focus(),
    isInStream: (t) => listRef.current?.contains(t) ?? false,
  });

  const filtering = isNarrowing(typed.query) || node !== null;
  const empty =
    all.length === 0 && connection.status !== 'connected' && connection.reason ? (
      <StreamEmptyState kind="offline" detail={connection.reason} />
    ) : all.length === 0 ? (
      <StreamEmptyState kind="waiting" />
    ) : (
      <StreamEmptyState
        kind="no-match"
        mode={p.queryMode}
        {...(query.trim() ? { detail: query.trim() } : {})}
        onClearFilters={p.onClearFilters}
      />
    );

  return (
    <section className="fs-stream" data-testid={streamMarkers.root} aria-label="Event stream">
      <div className="fs-stream__top">
        <StreamToolbar
          query={query}
          onQueryChange={setQuery}
          mode={p.queryMode}
          onModeChange={p.onQueryModeChange}
          invalid={typed.error !== null}
          describedBy={typed.error || suggestExpression ? messageId : undefined}
          onUseExample={(expression) => {
            setQuery(expression);
            p.onQueryModeChange('expr');
          }}
          node={node}
          onClearNode={p.onClearNode}
          paused={paused}
          newWhilePaused={newWhilePaused}
          onPause={pause}
          onResume={resume}
          inputRef={filterRef}
          onLeaveFilter={() => {
            filterRef.current?.blur();
            listRef.current?.focus();
          }}
        />
        <StreamFilterMessage
          id={messageId}
          error={typed.error}
          keptPrevious={isNarrowing(typed.query)}
          suggestExpression={suggestExpression}
          onSwitchToExpression={() => p.onQueryModeChange('expr')}
        />
      </div>
      <div className="fs-stream__head" aria-hidden="true">
        <span>Time</span>
        <span>Channel</span>
        <span>Type</span>
        <span>Producer</span>
        <span>Key</span>
        <span className="fs-stream__head-size">Size</span>
        <span>Payload</span>
      </div>
      <StreamList
        ref={listRef}
        rows={rows}
        cursorId={cursorId}
        openId={p.openId}
        onSelect={(id) => {
          setCursor(id);
          p.onOpen(id);
        }}
        empty={empty}
      />
      <StreamFooter
        shown={countEvents(rows)}
        total={countEvents(all)}
        filtering={filtering}
        historyFiltered={historyFilter !== null && dropped === 0 && (history.data?.length ?? 0) > 0}
        dropped={dropped}
        paused={paused}
      />
    </section>
  );
}
