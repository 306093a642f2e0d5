import { z } from 'zod';
import { globToRegExp } from '@flowscope/shared';

export const MASKED = '[masked]';

/**
 * What to hide, before anything is stored, indexed, filtered, sent or logged: a payload field
 * (dotted path, `*` for any key or array element, `*` alone for the whole payload), a header by
 * name, or the message key; on channels matching `channel` (a glob), or all channels.
 */
export const maskRuleSchema = z
  .object({
    target: z.enum(['payload', 'header', 'key']),
    path: z.string().default(''),
    channel: z.string().optional(),
  })
  .strict()
  .refine((r) => r.target === 'key' || r.path !== '', {
    message: 'payload and header rules need a path',
    path: ['path'],
  });
export type MaskRule = z.infer<typeof maskRuleSchema>;

type Compiled = { target: MaskRule['target']; parts: string[]; header: string; channel?: RegExp };

/** Compiles rules once; `forChannel` returns those that apply to a channel (cached per channel). */
export function compileMasks(rules: readonly MaskRule[]) {
  const compiled: Compiled[] = rules.map((r) => ({
    target: r.target,
    parts: r.path.split('.'),
    header: r.path.toLowerCase(),
    ...(r.channel && r.channel !== '*' ? { channel: globToRegExp(r.channel) } : {}),
  }));
  const cache = new Map<string, Compiled[]>();
  return {
    empty: compiled.length === 0,
    forChannel(channel: string): Compiled[] {
      let hit = cache.get(channel);
      if (!hit) {
        hit = compiled.filter((c) => !c.channel || c.channel.test(channel));
        if (cache.size < 10_000) cache.set(channel, hit);
      }
      return hit;
    },
  };
}
export type Masks = ReturnType<typeof compileMasks>;

/**
 * Replaces the values at `parts` (with `*` wildcards) in a JSON value; returns how many were
 * masked. `hidden` collects what the masked strings and numbers were.
 */
export function maskJson(json: unknown, parts: readonly string[], hidden?: Set<string>): number {
  if (parts.length === 0 || json === null || typeof json !== 'object') return 0;
  const [head, ...rest] = parts as [string, ...string[]];
  const obj = json as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(obj) : Object.hasOwn(obj, head) ? [head] : [];
  let n = 0;
  for (const k of keys) {
    if (rest.length === 0) {
      const was = obj[k];
      if (hidden && (typeof was === 'string' || typeof was === 'number')) hidden.add(String(was));
      obj[k] = MASKED;
      n += 1;
    } else n += maskJson(obj[k], rest, hidden);
  }
  return n;
}
