import { useId, type ReactNode } from 'react';
import type { StreamListProps } from './StreamList';
import {
  selectConnection,
  selectNewWhilePaused,
  selectPause,
  selectPaused,
  selectResume,
  useLiveStore,
  type ConnectionState,
} from '../../stores/liveStore';
import { StreamEmptyState } from './StreamEmptyState';
import { StreamFilterMessage } from './StreamFilterMessage';
import { StreamFooter } from './StreamFooter';
import { StreamList } from './StreamList';
import { StreamToolbar } from './StreamToolbar';
import { countEvents, isNarrowing, looksLikeExpression, type FilterMode } from './streamRows';
import { streamMarkers } from './stream.markers';
import { useQueryDraft } from './useQueryDraft';
import { useStreamCursor } from './useStreamCursor';
import { useStreamRows } from './useStreamRows';
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
  /** Rows to single out (the flow a breakpoint stopped in). */
  marked?: StreamListProps['marked'];
  /** More controls for the toolbar (the breakpoints). */
  actions?: ReactNode;
}>;

/** The live stream: wires the store, fetched history and keyboard to the list. */
export function StreamView(p: StreamViewProps) {
  const paused = useLiveStore(selectPaused);
  const newWhilePaused = useLiveStore(selectNewWhilePaused);
  const connection = useLiveStore(selectConnection);
  const pause = useLiveStore(selectPause);
  const resume = useLiveStore(selectResume);

  const [query, setQuery] = useQueryDraft(p.query, p.onQueryChange);
  const { all, rows, typed, node, dropped, historyFiltered } = useStreamRows(query, p.query, p.queryMode, p.nodeId);
  const messageId = useId();
  const suggestExpression = p.queryMode === 'text' && looksLikeExpression(query);

  const { cursorId, listRef, filterRef, select, leaveFilter } = useStreamCursor({
    rows,
    openId: p.openId,
    onOpen: p.onOpen,
    onClose: p.onClose,
  });

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
          onLeaveFilter={leaveFilter}
          actions={p.actions}
        />
        <StreamFilterMessage
          id={messageId}
          error={typed.error}
          keptPrevious={isNarrowing(typed.query)}
          suggestExpression={suggestExpression}
          onSwitchToExpression={() => p.onQueryModeChange('expr')}
        />
      </div>
      <StreamHead />
      <StreamList
        ref={listRef}
        rows={rows}
        cursorId={cursorId}
        openId={p.openId}
        onSelect={select}
        marked={p.marked}
        empty={emptyState(all.length === 0, connection, p.queryMode, query, p.onClearFilters)}
      />
      <StreamFooter
        shown={countEvents(rows)}
        total={countEvents(all)}
        filtering={isNarrowing(typed.query) || node !== null}
        historyFiltered={historyFiltered}
        dropped={dropped}
        paused={paused}
      />
    </section>
  );
}

/** Why the list is empty: offline, nothing yet, or nothing matches the filters. */
function emptyState(
  nothing: boolean,
  connection: ConnectionState,
  mode: FilterMode,
  query: string,
  onClearFilters: () => void,
): ReactNode {
  if (nothing && connection.status !== 'connected' && connection.reason)
    return <StreamEmptyState kind="offline" detail={connection.reason} />;
  if (nothing) return <StreamEmptyState kind="waiting" />;
  return (
    <StreamEmptyState
      kind="no-match"
      mode={mode}
      {...(query.trim() ? { detail: query.trim() } : {})}
      onClearFilters={onClearFilters}
    />
  );
}

function StreamHead() {
  return (
    <div className="fs-stream__head" aria-hidden="true">
      <span>Time</span>
      <span>Channel</span>
      <span>Type</span>
      <span>Producer</span>
      <span>Key</span>
      <span className="fs-stream__head-size">Size</span>
      <span>Payload</span>
    </div>
  );
}
