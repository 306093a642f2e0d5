import { useMemo, useState } from 'react';
import { useInsights } from '../../lib/useInsights';
import { useLiveStore } from '../../stores/liveStore';
import { behindByService } from './serviceBehind';

const NONE: ReadonlyMap<string, number> = new Map();

/**
 * Per service name, how far behind it runs (p95), from the insights the other views share. While
 * the view is paused (a breakpoint, a past moment) the map holds still, these figures with it.
 */
export function useServiceBehind(): ReadonlyMap<string, number> {
  const consumers = useInsights().data?.consistency.consumers;
  const paused = useLiveStore((s) => s.frozenTopology !== null);
  const live = useMemo(() => (consumers ? behindByService(consumers) : NONE), [consumers]);
  // Derived state: the figures as they were when the view paused.
  const [held, setHeld] = useState(live);
  if (!paused && held !== live) setHeld(live);
  return paused ? held : live;
}
