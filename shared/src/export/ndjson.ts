import { z } from 'zod';
import { flowEventSchema, type FlowEvent } from '../model/flowEvent.js';

/**
 * A capture: newline-delimited JSON, a header line then one FlowEvent per line with all its
 * metadata (ids, source, channel, partition/offset, times, key, headers, correlation, payload).
 * Replaying it gives the same events, so the same flows, the same map and the same ids.
 */
export const CAPTURE_FORMAT = 'flowscope-capture';
export const CAPTURE_VERSION = 1;

export const captureHeaderSchema = z.object({
  format: z.literal(CAPTURE_FORMAT),
  version: z.literal(CAPTURE_VERSION),
  exportedAt: z.number(),
  /** What was selected, for people: e.g. `flow demo/shop/orders/…` or a filter. */
  selection: z.string(),
  events: z.number().int().nonnegative(),
});
export type CaptureHeader = z.infer<typeof captureHeaderSchema>;

export function toCapture(events: readonly FlowEvent[], selection: string, exportedAt: number): string {
  const header: CaptureHeader = {
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    exportedAt,
    selection,
    events: events.length,
  };
  return `${[header, ...events].map((line) => JSON.stringify(line)).join('\n')}\n`;
}

export type CaptureLineError = { readonly line: number; readonly message: string };

/** One line of a capture: the header (line 1), an event, or an error that names the line. */
export function parseCaptureLine(
  text: string,
  line: number,
): { header: CaptureHeader } | { event: FlowEvent } | { error: CaptureLineError } | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: { line, message: `not JSON (${(err as Error).message})` } };
  }
  if (line === 1) {
    const header = captureHeaderSchema.safeParse(value);
    return header.success
      ? { header: header.data }
      : {
          error: {
            line,
            message: `not a Flowscope capture header (expected {"format":"${CAPTURE_FORMAT}","version":${CAPTURE_VERSION},…})`,
          },
        };
  }
  const event = flowEventSchema.safeParse(value);
  if (event.success) return { event: event.data as FlowEvent };
  const issue = event.error.issues[0];
  return { error: { line, message: `not an event: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}` } };
}

/** A whole capture in memory; errors name their lines and never stop the other lines. */
export function parseCapture(text: string): {
  header?: CaptureHeader;
  events: FlowEvent[];
  errors: CaptureLineError[];
} {
  const events: FlowEvent[] = [];
  const errors: CaptureLineError[] = [];
  let header: CaptureHeader | undefined;
  text.split('\n').forEach((t, i) => {
    const r = parseCaptureLine(t, i + 1);
    if (!r) return;
    if ('header' in r) header = r.header;
    else if ('event' in r) events.push(r.event);
    else errors.push(r.error);
  });
  return { ...(header ? { header } : {}), events, errors };
}
