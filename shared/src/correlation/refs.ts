import type { Correlation } from '../model/correlationKey.js';
import type { FlowEvent } from '../model/flowEvent.js';

/**
 * The ids under which other events may name this one as their cause (a causation id): its event
 * id, its message id and its span id. Written once: the engine, the map, the flow description and
 * the store's link index must agree, or a flow rebuilt from history differs from the live one.
 */
export function causeRefs(
  e: Pick<FlowEvent, 'id'> & { readonly correlation: Pick<Correlation, 'messageId' | 'spanId'> },
): string[] {
  const refs = [e.id];
  if (e.correlation.messageId) refs.push(e.correlation.messageId);
  if (e.correlation.spanId) refs.push(e.correlation.spanId);
  return refs;
}
