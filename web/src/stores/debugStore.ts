import type { Breakpoint, BreakpointHit } from '@flowscope/shared';
import { create } from 'zustand';
import { useLiveStore } from './liveStore';

/** Hits kept in the browser, for "next match" and the panel; the oldest go first. */
const MAX_HITS = 1_000;

/** What a step waits for: the next event, the next one of the same flow, or the next hit. */
export type StepKind = 'event' | 'flow' | 'match';

/** Where the debugger holds the view: the event shown last, and the hit that stopped it. */
type DebugStop = Readonly<{
  hit: BreakpointHit;
  /** The event the view ends at now (the hit's, then each step's). */
  eventId: string;
  seq: number;
}>;

export type DebugState = Readonly<{
  /** As the server last sent them; null before the first list. */
  breakpoints: readonly Breakpoint[] | null;
  /** Hits in seq order, newest last. */
  hits: readonly BreakpointHit[];
  stop: DebugStop | null;
  /** A step asked for and not yet possible (its event has not arrived). */
  waiting: StepKind | null;
}>;

export type DebugActions = Readonly<{
  setBreakpoints: (breakpoints: readonly Breakpoint[]) => void;
  /** A change made here, shown before the server's next list (which then has it too). */
  changeBreakpoint: (id: string, change: Partial<Breakpoint> | null) => void;
  addedBreakpoint: (breakpoint: Breakpoint) => void;
  /** Records a hit; says whether the view should stop at it (it is not stopped already). */
  receiveHit: (hit: BreakpointHit, paused: boolean) => boolean;
  /** The view went on to this event (a step). */
  moveTo: (eventId: string, seq: number) => void;
  wait: (kind: StepKind | null) => void;
  /** The view runs again (resume), or was paused by hand (no breakpoint holds it). */
  release: () => void;
}>;

export const useDebugStore = create<DebugState & DebugActions>()((set, get) => ({
  breakpoints: null,
  hits: [],
  stop: null,
  waiting: null,

  setBreakpoints: (breakpoints) => set({ breakpoints }),
  changeBreakpoint: (id, change) =>
    set((s) => ({
      breakpoints: (s.breakpoints ?? []).flatMap((b) => (b.id !== id ? [b] : change ? [{ ...b, ...change }] : [])),
    })),
  addedBreakpoint: (breakpoint) =>
    set((s) => ({
      breakpoints: (s.breakpoints ?? []).some((b) => b.id === breakpoint.id)
        ? s.breakpoints
        : [...(s.breakpoints ?? []), breakpoint],
    })),
  receiveHit: (hit, paused) => {
    const hits = get().hits.concat(hit).slice(-MAX_HITS);
    const stops = !paused && get().stop === null;
    set(stops ? { hits, stop: { hit, eventId: hit.eventId, seq: hit.seq }, waiting: null } : { hits });
    return stops;
  },
  moveTo: (eventId, seq) =>
    set((s) => (s.stop ? { stop: { ...s.stop, eventId, seq }, waiting: null } : { waiting: null })),
  wait: (kind) => set({ waiting: kind }),
  release: () => set({ stop: null, waiting: null }),
}));

export const selectBreakpoints = (s: DebugState) => s.breakpoints;
export const selectStop = (s: DebugState) => s.stop;
export const selectWaiting = (s: DebugState) => s.waiting;
export const selectHits = (s: DebugState) => s.hits;

// However the view runs again (the stream's Resume, the debugger's), no breakpoint holds it any more.
useLiveStore.subscribe((state, previous) => {
  if (previous.frozen !== null && state.frozen === null) useDebugStore.getState().release();
});
