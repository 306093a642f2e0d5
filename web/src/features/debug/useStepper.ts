import { flowResponseSchema, type BreakpointHit, type Flow } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { apiGet } from '../../lib/api';
import { selectHits, selectWaiting, useDebugStore, type StepKind } from '../../stores/debugStore';
import { isGap, lastEventOf, useLiveStore, type LiveItem } from '../../stores/liveStore';

/** Polls while a step waits for the flow's next event (the flow gains it without telling this view). */
const FLOW_POLL_MS = 1_000;

/**
 * The flow of the event the view is paused at, with its events (for "next in flow" and for the
 * highlight). Same query key as the trace view's, so a flow fetched there is reused here.
 */
export function usePausedFlow(): { flow: Flow | undefined; eventId: string | null; seq: number } {
  const at = useLiveStore((s) => lastEventOf(s.frozen));
  const waiting = useDebugStore(selectWaiting);
  // The event the debugger stopped or stepped at (it may be older than the view's end: a stuck flow).
  const stopped = useDebugStore((s) => s.stop);
  const eventId = stopped?.eventId ?? at?.id ?? null;
  const query = useQuery({
    queryKey: ['flow', eventId ?? ''],
    queryFn: ({ signal }) => apiGet(`/api/flows/${encodeURIComponent(eventId ?? '')}`, flowResponseSchema, signal),
    enabled: eventId !== null,
    retry: 1,
    refetchInterval: waiting === 'flow' ? FLOW_POLL_MS : false,
  });
  return { flow: query.data, eventId, seq: Math.max(at?.seq ?? 0, stopped?.seq ?? 0) };
}

/** Where a step of this kind goes from `position` (a seq), if its event is here yet. */
function targetOf(
  kind: StepKind,
  position: number,
  items: readonly LiveItem[],
  hits: readonly BreakpointHit[],
  flow: Flow | undefined,
): { id: string; seq: number } | null {
  let best: { id: string; seq: number } | null = null;
  const consider = (id: string, seq: number) => {
    if (seq > position && (!best || seq < best.seq)) best = { id, seq };
  };
  if (kind === 'event') {
    const next = items.find((item) => !isGap(item) && item.seq > position);
    return next && !isGap(next) ? { id: next.id, seq: next.seq } : null;
  }
  // Only events the browser still holds (older ones went out with the cap) and has received.
  const oldest = items.find((item) => !isGap(item));
  const held = (seq: number) => oldest !== undefined && !isGap(oldest) && seq >= oldest.seq;
  if (kind === 'match') for (const h of hits) if (held(h.seq)) consider(h.eventId, h.seq);
  if (kind === 'flow') for (const e of flow?.events ?? []) if (held(e.seq)) consider(e.id, e.seq);
  const arrived = lastEventOf(items);
  return best !== null && arrived !== null && (best as { seq: number }).seq <= arrived.seq ? best : null;
}

/**
 * Stepping through paused traffic: to the next event, the next event of the same flow, or the next
 * breakpoint hit. The view takes the events up to it and opens it; a step whose event has not
 * arrived yet waits for it (and can be cancelled).
 */
export function useStepper(openEvent: (id: string) => void) {
  const waiting = useDebugStore(selectWaiting);
  const hits = useDebugStore(selectHits);
  const lastSeq = useLiveStore((s) => s.lastSeq);
  const { flow } = usePausedFlow();

  const tryStep = useCallback(
    (kind: StepKind): boolean => {
      const live = useLiveStore.getState();
      const at = lastEventOf(live.frozen);
      if (!at) return false;
      const target = targetOf(kind, at.seq, live.items, useDebugStore.getState().hits, flow);
      if (!target) return false;
      live.advanceTo(target.seq);
      useDebugStore.getState().moveTo(target.id, target.seq);
      openEvent(target.id);
      return true;
    },
    [flow, openEvent],
  );

  const step = useCallback(
    (kind: StepKind) => {
      if (!tryStep(kind)) useDebugStore.getState().wait(kind);
    },
    [tryStep],
  );

  // A waiting step goes as soon as its event is here: new events, hits, or the flow's new events.
  useEffect(() => {
    if (waiting) tryStep(waiting);
  }, [waiting, lastSeq, hits, tryStep]);

  return { step, waiting, cancel: useCallback(() => useDebugStore.getState().wait(null), []) };
}
