/** A configured stream: an exact key, a `/regex/`, or a glob (`orders:*`, `events.?`). */
function matcher(pattern: string): (key: string) => boolean {
  const regex = /^\/(.*)\/$/.exec(pattern);
  if (regex?.[1] !== undefined) {
    const r = new RegExp(regex[1]);
    return (key) => r.test(key);
  }
  if (/[*?[]/.test(pattern)) {
    const source = pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    const r = new RegExp(`^${source}$`);
    return (key) => r.test(key);
  }
  return (key) => key === pattern;
}

/** Splits configured patterns into the existing stream keys they match and the patterns that match none. */
export function matchStreams(
  patterns: readonly string[],
  existing: readonly string[],
): { matched: string[]; missing: string[] } {
  const matched = new Set<string>();
  const missing: string[] = [];
  for (const p of patterns) {
    const hits = existing.filter(matcher(p));
    if (hits.length === 0) missing.push(p);
    for (const h of hits) matched.add(h);
  }
  return { matched: [...matched].sort(), missing };
}

/** The SCAN MATCH pattern: the glob or key itself when there is one such pattern, else every key. */
export const scanPattern = (patterns: readonly string[]) =>
  patterns.length === 1 && !/^\/.*\/$/.test(patterns[0] ?? '') ? (patterns[0] ?? '*') : '*';
