import type { FlowEvent, SourceStatus, Topology } from '@flowscope/shared';
import { create } from 'zustand';

/** Newest items kept in the browser; older ones are dropped and counted. */
export const MAX_LIVE_ITEMS = 5_000;
const MAX_PROTOCOL_ERRORS = 20;

type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';
type ConnectionProblem = 'unauthorized' | 'network' | 'server-closed' | 'protocol';

export type ConnectionState = Readonly<{
  status: ConnectionStatus;
  /** Human-readable reason for the current state, when there is one. */
  reason?: string;
  problem?: ConnectionProblem;
  since: number;
}>;

/** A place in the stream where continuity was lost; shown as its own row, never hidden. */
export type StreamGap = Readonly<{
  kind: 'gap';
  id: string;
  /** How many events were not delivered (0 when unknown, e.g. the server restarted). */
  skipped: number;
  /** `untested`: the subscription's filter had no work left to test them (a costly filter). */
  cause: 'skipped' | 'untested' | 'server-restarted';
  at: number;
}>;

export type LiveItem = FlowEvent | StreamGap;

export type ProtocolError = Readonly<{ id: number; at: number; message: string; what: string }>;

export type LiveState = Readonly<{
  /** Oldest first; events and gap markers in arrival order. */
  items: readonly LiveItem[];
  /** Highest seq seen; events at or below it are duplicates (e.g. replay after reconnect). */
  lastSeq: number;
  /** Items dropped from the browser because of MAX_LIVE_ITEMS. */
  dropped: number;
  /** When paused: the items as they were, while `items` keeps growing. */
  frozen: readonly LiveItem[] | null;
  newWhilePaused: number;
  topology: Topology | null;
  /** When paused: the map as it was, while `topology` keeps its latest. */
  frozenTopology: Topology | null;
  /**
   * Paused at a breakpoint: the next map the server sends is taken as the paused one (the map in
   * hand may predate the hit's event; the server's next one, within a second, has it).
   */
  frozenTopologyPending: boolean;
  sources: readonly SourceStatus[] | null;
  connection: ConnectionState;
  serverVersion: string | null;
  protocolErrors: readonly ProtocolError[];
}>;

export type LiveActions = Readonly<{
  receiveEvents: (events: readonly FlowEvent[], skipped: number, at: number, untested?: number) => void;
  serverHello: (hello: { lastSeq: number; version: string }, at: number) => void;
  setTopology: (topology: Topology) => void;
  setSources: (sources: readonly SourceStatus[]) => void;
  setConnection: (connection: ConnectionState) => void;
  reportProtocolError: (what: string, message: string, at: number) => void;
  pause: () => void;
  /** Pauses with the view ending at this seq (a breakpoint's event), the map as it is now. */
  pauseAt: (seq: number) => void;
  /** While paused: the view goes on to this seq (a step), taking the events in between. */
  advanceTo: (seq: number) => void;
  /** Shows a moment of the past (time travel): these events (oldest first) and this map, paused. */
  showHistory: (events: readonly FlowEvent[], topology: Topology) => void;
  resume: () => void;
  reset: () => void;
}>;

export const isGap = (item: LiveItem): item is StreamGap => 'kind' in item && item.kind === 'gap';

const initialState = (): LiveState => ({
  items: [],
  lastSeq: 0,
  dropped: 0,
  frozen: null,
  newWhilePaused: 0,
  topology: null,
  frozenTopology: null,
  frozenTopologyPending: false,
  sources: null,
  connection: { status: 'connecting', since: Date.now() },
  serverVersion: null,
  protocolErrors: [],
});

let gapCounter = 0;
let errorCounter = 0;

function appendCapped(state: LiveState, added: readonly LiveItem[]) {
  const items = state.items.concat(added);
  const overflow = Math.max(0, items.length - MAX_LIVE_ITEMS);
  return { items: overflow > 0 ? items.slice(overflow) : items, dropped: state.dropped + overflow };
}

/** Index of the last item at or before this seq (gaps before it included); -1 when none. */
function lastIndexUpTo(items: readonly LiveItem[], seq: number): number {
  let end = -1;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as LiveItem;
    if (!isGap(item) && item.seq > seq) break;
    end = i;
  }
  return end;
}

const countEvents = (items: readonly LiveItem[], from: number): number => {
  let n = 0;
  for (let i = from; i < items.length; i++) if (!isGap(items[i] as LiveItem)) n += 1;
  return n;
};

/** The newest event of a list of items (gaps are not events), if any. */
export function lastEventOf(items: readonly LiveItem[] | null): FlowEvent | null {
  for (let i = (items?.length ?? 0) - 1; i >= 0; i--) {
    const item = (items as readonly LiveItem[])[i] as LiveItem;
    if (!isGap(item)) return item;
  }
  return null;
}

const lastSeqOf = (items: readonly LiveItem[]): number => lastEventOf(items)?.seq ?? 0;

/** Events the server did not send: `untested` of them because the subscription's filter ran out of work. */
const skippedGap = (skipped: number, untested: number, at: number): StreamGap => ({
  kind: 'gap',
  id: `gap-${++gapCounter}`,
  skipped,
  cause: untested > 0 ? 'untested' : 'skipped',
  at,
});

/** Live data pushed by the server. Written only by lib/socket.ts (and pause/resume by the UI). */
export const useLiveStore = create<LiveState & LiveActions>()((set) => ({
  ...initialState(),

  receiveEvents: (events, skipped, at, untested = 0) =>
    set((state) => {
      const fresh: LiveItem[] = [];
      let lastSeq = state.lastSeq;
      for (const e of events) {
        if (e.seq <= lastSeq) continue; // already have it (replayed after a reconnect)
        fresh.push(e);
        lastSeq = e.seq;
      }
      if (skipped > 0) fresh.unshift(skippedGap(skipped, untested, at));
      if (fresh.length === 0) return state;
      const newEvents = fresh.length - (skipped > 0 ? 1 : 0);
      return {
        ...appendCapped(state, fresh),
        lastSeq,
        newWhilePaused: state.frozen ? state.newWhilePaused + newEvents : 0,
      };
    }),

  serverHello: (hello, at) =>
    set((state) => {
      // A lower seq than ours means the server restarted and numbers again from scratch.
      if (hello.lastSeq >= state.lastSeq || state.lastSeq === 0) return { serverVersion: hello.version };
      const gap: StreamGap = { kind: 'gap', id: `gap-${++gapCounter}`, skipped: 0, cause: 'server-restarted', at };
      return { ...appendCapped(state, [gap]), lastSeq: hello.lastSeq, serverVersion: hello.version };
    }),

  setTopology: (topology) =>
    set((state) =>
      state.frozen && state.frozenTopologyPending
        ? { topology, frozenTopology: topology, frozenTopologyPending: false }
        : { topology },
    ),
  setSources: (sources) => set({ sources }),
  setConnection: (connection) => set({ connection }),

  reportProtocolError: (what, message, at) =>
    set((state) => ({
      protocolErrors: [...state.protocolErrors, { id: ++errorCounter, at, what, message }].slice(-MAX_PROTOCOL_ERRORS),
    })),

  pause: () =>
    set((state) => (state.frozen ? state : { frozen: state.items, newWhilePaused: 0, frozenTopology: state.topology })),
  pauseAt: (seq) =>
    set((state) => {
      // An event older than any the browser still holds (a flow that got stuck long after its last
      // event, or one pushed out by the cap): the view stops where it is now.
      const found = lastIndexUpTo(state.items, seq);
      const end = found === -1 ? state.items.length - 1 : found;
      return {
        frozen: state.items.slice(0, end + 1),
        newWhilePaused: countEvents(state.items, end + 1),
        frozenTopology: state.frozenTopology ?? state.topology,
        frozenTopologyPending: state.frozen === null,
      };
    }),
  advanceTo: (seq) =>
    set((state) => {
      if (!state.frozen) return state;
      const shownUpTo = lastSeqOf(state.frozen);
      if (seq <= shownUpTo) return state;
      const from = state.items.findIndex((item) => !isGap(item) && item.seq > shownUpTo);
      if (from === -1) return state;
      const end = lastIndexUpTo(state.items, seq);
      const taken = end >= from ? state.items.slice(from, end + 1) : [];
      // Events between the view's end and what the browser still holds went out with the cap: a gap says so.
      const first = taken[0];
      const lost = first && !isGap(first) ? first.seq - shownUpTo - 1 : 0;
      const gap: StreamGap[] =
        lost > 0 ? [{ kind: 'gap', id: `gap-${++gapCounter}`, skipped: lost, cause: 'skipped', at: Date.now() }] : [];
      return {
        frozen: state.frozen.concat(gap, taken),
        newWhilePaused: countEvents(state.items, end + 1),
      };
    }),
  showHistory: (events, topology) =>
    set((state) => ({
      frozen: events,
      frozenTopology: topology,
      frozenTopologyPending: false,
      newWhilePaused: state.frozen ? state.newWhilePaused : 0,
    })),
  resume: () => set({ frozen: null, newWhilePaused: 0, frozenTopology: null, frozenTopologyPending: false }),
  reset: () => set(initialState()),
}));

// Selectors live at module scope so components subscribe to stable functions.
export const selectVisibleItems = (s: LiveState) => s.frozen ?? s.items;
export const selectPaused = (s: LiveState) => s.frozen !== null;
export const selectNewWhilePaused = (s: LiveState) => s.newWhilePaused;
export const selectDropped = (s: LiveState) => s.dropped;
/** The map as the view shows it: as it was when paused, else the latest. */
export const selectTopology = (s: LiveState) => s.frozenTopology ?? s.topology;
/** The latest map, paused or not (the status bar, the tour). */
export const selectLatestTopology = (s: LiveState) => s.topology;
export const selectSources = (s: LiveState) => s.sources;
export const selectConnection = (s: LiveState) => s.connection;
export const selectProtocolErrors = (s: LiveState) => s.protocolErrors;
export const selectServerVersion = (s: LiveState) => s.serverVersion;
export const selectPause = (s: LiveActions) => s.pause;
export const selectResume = (s: LiveActions) => s.resume;

/** The live copy of an event, if it is still in the browser. */
export const selectEventById =
  (id: string | null) =>
  (s: LiveState): FlowEvent | undefined => {
    if (!id) return undefined;
    for (let i = s.items.length - 1; i >= 0; i--) {
      const item = s.items[i];
      if (item && !isGap(item) && item.id === id) return item;
    }
    return undefined;
  };
