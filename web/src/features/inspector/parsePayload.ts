import type { Payload } from '@flowscope/shared';

export type PayloadBody =
  | Readonly<{ kind: 'json'; value: unknown }>
  | Readonly<{ kind: 'text'; text: string; problem?: string }>
  | Readonly<{ kind: 'binary'; base64: string }>
  | Readonly<{ kind: 'empty' }>;

/** How to show a payload. JSON is parsed with JSON.parse only (never evaluated). */
export function payloadBody(payload: Payload): PayloadBody {
  switch (payload.encoding) {
    case 'empty':
      return { kind: 'empty' };
    case 'binary':
      return { kind: 'binary', base64: payload.value };
    case 'text':
      return { kind: 'text', text: payload.value };
    case 'json':
      try {
        return { kind: 'json', value: JSON.parse(payload.value) as unknown };
      } catch (err) {
        const why = payload.truncated ? 'it was truncated' : err instanceof Error ? err.message : 'invalid JSON';
        return { kind: 'text', text: payload.value, problem: `Shown as text: the JSON does not parse (${why}).` };
      }
  }
}

/** Bytes actually carried in `value` (for the "showing first N of M bytes" line). */
export function carriedBytes(payload: Payload): number {
  if (payload.encoding === 'empty') return 0;
  if (payload.encoding === 'binary') return Math.floor((payload.value.replace(/=+$/, '').length * 3) / 4);
  return new TextEncoder().encode(payload.value).length;
}
