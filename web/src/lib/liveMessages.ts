import { flowEventSchema, liveEventBatchSchema, type FlowEvent } from '@flowscope/shared';
import { z } from 'zod';

/** What went wrong with a message, as one line: the first issue and where it is. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid data';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/** The result of reading one message from the server: its value, or why it was left out. */
export type Read<T> = Readonly<{ ok: true; value: T } | { ok: false; problem: string }>;

/** Parses an untrusted payload with its shared schema; a mismatch is returned, never thrown. */
export function readMessage<T>(schema: z.ZodType<T>, raw: unknown): Read<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: firstIssue(parsed.error) };
}

// The batch is read envelope first, then event by event: one bad event costs that event, not the batch.
const batchEnvelopeSchema = liveEventBatchSchema.extend({ events: z.array(z.unknown()) });

export type ReadBatch = Readonly<{
  events: readonly FlowEvent[];
  skipped: number;
  /** Of `skipped`, events the subscription's filter had no work left to test. */
  untested: number;
  problems: readonly string[];
}>;

/** A live event batch: the events that match the shared schema, and a problem line for each one that did not. */
export function readEventBatch(raw: unknown): Read<ReadBatch> {
  const envelope = readMessage(batchEnvelopeSchema, raw);
  if (!envelope.ok) return envelope;
  const events: FlowEvent[] = [];
  const problems: string[] = [];
  for (const candidate of envelope.value.events) {
    const event = readMessage(flowEventSchema, candidate);
    if (event.ok) events.push(event.value);
    else problems.push(event.problem);
  }
  const { skipped, untested = 0 } = envelope.value;
  return { ok: true, value: { events, skipped, untested, problems } };
}
