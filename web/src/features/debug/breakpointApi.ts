import { breakpointSchema, type BreakpointInput, type FlowEvent } from '@flowscope/shared';
import { apiSend } from '../../lib/api';

/** Sets a breakpoint on the server (every open view stops at its hits). */
export const addBreakpoint = (input: BreakpointInput) => apiSend('POST', '/api/breakpoints', input, breakpointSchema);

export const setBreakpointEnabled = (id: string, enabled: boolean) =>
  apiSend('PATCH', `/api/breakpoints/${encodeURIComponent(id)}`, { enabled }, breakpointSchema);

export const removeBreakpoint = (id: string) =>
  apiSend('DELETE', `/api/breakpoints/${encodeURIComponent(id)}`, undefined, null);

/**
 * A filter that matches events like this one: its type and channel (its producer when it has no
 * type). JSON string literals are the filter language's string literals.
 */
export function expressionLike(event: Pick<FlowEvent, 'type' | 'channel' | 'producer'>): string {
  const parts = [
    event.type !== undefined
      ? `type == ${JSON.stringify(event.type)}`
      : event.producer !== undefined
        ? `producer == ${JSON.stringify(event.producer)}`
        : null,
    `channel == ${JSON.stringify(event.channel)}`,
  ];
  return parts.filter((p) => p !== null).join(' && ');
}
