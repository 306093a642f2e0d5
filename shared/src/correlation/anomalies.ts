import type { FlowEvent } from '../model/flowEvent.js';

const DEAD_LETTER_CHANNEL = /(^|[.\-_/])(dlq|dlt|dead[.\-_]?letters?)([.\-_/]|$)/i;
const DEAD_LETTER_HEADER =
  /^(x-death|x-death-reason|x-first-death-reason|x-original-channel|kafka_dlt-|dlq-|x-dead-letter)/i;
const FAILURE_TYPE = /(fail|error|reject|declin|cancel|timeout|timed-out)/i;

/** A message parked on a dead-letter channel, or carrying dead-letter headers. */
export function isDeadLettered(e: Pick<FlowEvent, 'channel' | 'headers'>): boolean {
  if (DEAD_LETTER_CHANNEL.test(e.channel)) return true;
  // Runs for every event the engine takes in: no array of the header names made for it, and the
  // pattern tried only on names that begin as one of its alternatives can (x, k or d, any case).
  for (const h in e.headers) {
    const first = h.charCodeAt(0) | 0x20;
    if ((first === 0x78 || first === 0x6b || first === 0x64) && DEAD_LETTER_HEADER.test(h)) return true;
  }
  return false;
}

/** An event whose type says something went wrong (`payment.failed`, `order.cancelled`). */
export function isFailure(e: Pick<FlowEvent, 'type'>): boolean {
  return e.type !== undefined && FAILURE_TYPE.test(e.type);
}
