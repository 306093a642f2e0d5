import { useMemo } from 'react';
import { useInsights } from '../../lib/useInsights';
import { behindByService } from './serviceBehind';

const NONE: ReadonlyMap<string, number> = new Map();

/** Per service name, how far behind it runs (p95), from the insights the other views share. */
export function useServiceBehind(): ReadonlyMap<string, number> {
  const consumers = useInsights().data?.consistency.consumers;
  return useMemo(() => (consumers ? behindByService(consumers) : NONE), [consumers]);
}
