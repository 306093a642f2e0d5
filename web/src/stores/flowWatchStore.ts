import type { FlowChange } from '@flowscope/shared';
import { create } from 'zustand';

export type FlowWatchState = Readonly<{
  /** The last change the server reported for the watched flow; `n` counts changes. */
  lastChange: (FlowChange & Readonly<{ n: number }>) | null;
}>;

export type FlowWatchActions = Readonly<{
  flowChanged: (change: FlowChange) => void;
  reset: () => void;
}>;

/**
 * Notices about the flow open in the trace view. Written only by lib/socket.ts; the trace view
 * refetches the flow when `lastChange` moves. Lives apart from the live stream: other lifetime.
 */
export const useFlowWatchStore = create<FlowWatchState & FlowWatchActions>()((set) => ({
  lastChange: null,
  flowChanged: (change) =>
    set((s) => ({ lastChange: { watchedId: change.watchedId, flowId: change.flowId, n: (s.lastChange?.n ?? 0) + 1 } })),
  reset: () => set({ lastChange: null }),
}));

export const selectLastFlowChange = (s: FlowWatchState) => s.lastChange;
