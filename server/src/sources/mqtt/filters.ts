/** Broker statistics: `#` does not match topics that start with `$`, so they are subscribed apart. */
export const SYS_FILTER = '$SYS/#';

/**
 * Why a topic filter cannot be tapped, or undefined when it can. Shared subscriptions
 * (`$share/<group>/…`, and the `$queue/…` shorthand of some brokers) are refused: the broker hands
 * each message to one member of the group, so Flowscope would take messages from applications.
 */
export function filterProblem(filter: string): string | undefined {
  const shared = /^\$share\/([^/]*)\/(.*)$/.exec(filter) ?? /^\$queue\/()(.*)$/.exec(filter);
  if (shared || filter.startsWith('$share') || filter.startsWith('$queue/')) {
    const plain = shared?.[2] ? `"${shared[2]}"` : 'the plain filter';
    const group = shared?.[1] ? ` in group "${shared[1]}"` : '';
    return `"${filter}" is a shared subscription: the broker would give Flowscope a share of the messages meant for the applications${group}. Flowscope never subscribes through $share; use ${plain} instead, which gets a copy of every message without changing who receives it.`;
  }
  if (filter === '') return 'a topic filter cannot be empty';
  if (filter.includes('\u0000')) return `"${filter}" contains a null character`;
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1))
      return `"${filter}": # must be a whole level and the last one (e.g. orders/#)`;
    if (level.includes('+') && level !== '+') return `"${filter}": + must be a whole level (e.g. devices/+/status)`;
  }
  return undefined;
}

/** The filters a tap subscribes to: the configured ones, then `$SYS/#` when statistics are asked for. */
export function tapFilters(topics: readonly string[], sys: boolean | undefined): string[] {
  const filters = [...new Set(topics)];
  if (sys && !filters.includes(SYS_FILTER)) filters.push(SYS_FILTER);
  return filters;
}
