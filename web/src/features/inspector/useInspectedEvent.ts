import type { FlowEvent } from '@flowscope/shared';
import { useMemo } from 'react';
import { selectEventById, useLiveStore } from '../../stores/liveStore';
import { useEventQuery } from './queries';

export type InspectedEvent =
  | Readonly<{ status: 'ready'; event: FlowEvent }>
  | Readonly<{ status: 'loading' }>
  | Readonly<{ status: 'error'; error: unknown }>;

/** The event to inspect: the live copy when the browser has it, otherwise fetched by id. */
export function useInspectedEvent(id: string): InspectedEvent {
  const selector = useMemo(() => selectEventById(id), [id]);
  const live = useLiveStore(selector);
  const fetched = useEventQuery(id, live === undefined);
  if (live) return { status: 'ready', event: live };
  if (fetched.data) return { status: 'ready', event: fetched.data };
  if (fetched.isError) return { status: 'error', error: fetched.error };
  return { status: 'loading' };
}
