import {
  breakpointSchema,
  type Breakpoint,
  type BreakpointInput,
  type FlowCondition,
  type FlowEvent,
} from '@flowscope/shared';
import { apiSend } from '../../lib/api';
import { useDebugStore } from '../../stores/debugStore';

const local = () => useDebugStore.getState();

/** A flow condition in words. */
export const CONDITION_LABEL: Readonly<Record<FlowCondition, string>> = {
  failed: 'a flow fails',
  stuck: 'a flow gets stuck',
  anomaly: 'a flow shows an anomaly',
};

/** How a breakpoint reads for people: its label, else its expression or condition. */
export function describeBreakpoint(b: Pick<Breakpoint, 'label' | 'expression' | 'condition'>): string {
  return b.label || b.expression || CONDITION_LABEL[b.condition ?? 'failed'];
}

/** Sets a breakpoint on the server (every open view stops at its hits); listed here at once. */
export async function addBreakpoint(input: BreakpointInput) {
  const added = await apiSend('POST', '/api/breakpoints', input, breakpointSchema);
  if (added) local().addedBreakpoint(added);
  return added;
}

/** Shown enabled or disabled at once; put back as it was if the server refuses. */
export async function setBreakpointEnabled(id: string, enabled: boolean) {
  local().changeBreakpoint(id, { enabled });
  try {
    return await apiSend('PATCH', `/api/breakpoints/${encodeURIComponent(id)}`, { enabled }, breakpointSchema);
  } catch (err) {
    local().changeBreakpoint(id, { enabled: !enabled });
    throw err;
  }
}

export async function removeBreakpoint(id: string) {
  await apiSend('DELETE', `/api/breakpoints/${encodeURIComponent(id)}`, undefined, null);
  local().changeBreakpoint(id, null);
}

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
