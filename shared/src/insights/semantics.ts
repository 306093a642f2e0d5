/**
 * What an event type's name and payload say it is (information, not a rule): a fact or a command,
 * a thin notification or a transfer of state.
 */

/** Past participles that do not end in -ed. */
const IRREGULAR_PAST = new Set([
  'sent',
  'paid',
  'made',
  'built',
  'done',
  'held',
  'lost',
  'sold',
  'bought',
  'found',
  'begun',
  'run',
  'written',
  'taken',
  'given',
  'known',
  'shown',
  'seen',
  'set',
  'put',
  'read',
  'won',
  'left',
  'kept',
  'spent',
  'split',
  'shut',
  'withdrawn',
  'drawn',
]);

/** Verbs a command's name starts with (`ProcessOrder`, `order.create`, `send-email`). */
const IMPERATIVE = new Set([
  'process',
  'create',
  'update',
  'delete',
  'remove',
  'add',
  'send',
  'place',
  'submit',
  'approve',
  'reject',
  'cancel',
  'charge',
  'refund',
  'reserve',
  'release',
  'ship',
  'notify',
  'register',
  'start',
  'stop',
  'calculate',
  'validate',
  'generate',
  'issue',
  'assign',
  'book',
  'confirm',
  'schedule',
  'execute',
  'run',
  'handle',
  'do',
  'make',
  'request',
  'publish',
  'sync',
  'import',
  'export',
  'set',
  'change',
  'apply',
  'capture',
  'authorize',
  'pay',
]);

/** The words of a name's last segment, lower case: `payment.fraud-review-requested` → fraud, review, requested. */
function wordsOf(type: string): string[] {
  const last = type.split(/[.:/]/).filter(Boolean).pop() ?? type;
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s\-_]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** A fact reads as past tense (`order.placed`, `UserCreated`); a command as an imperative (`ProcessOrder`). */
export function namingOf(type: string): 'fact' | 'command' | 'unclear' {
  const words = wordsOf(type);
  const lastWord = words[words.length - 1] ?? '';
  if (lastWord === 'event' || (lastWord.length > 3 && lastWord.endsWith('ed')) || IRREGULAR_PAST.has(lastWord))
    return 'fact';
  if (lastWord === 'command' || lastWord === 'cmd' || IMPERATIVE.has(words[0] ?? '')) return 'command';
  return 'unclear';
}

/** Field names that only point at things (ids, links) or describe the message itself. */
const POINTER = /(^id$|Id$|_id$|Ids$|_ids$|^ids$|^(type|time|timestamp|occurredAt|version|source|href|url|uri|link)$)/;

/**
 * `notification` when the payload's fields are all ids or links (the reader must ask for the
 * state), `state` when it carries more; a CloudEvents envelope is judged by its `data`.
 */
export function payloadKindOf(
  schema: Readonly<Record<string, unknown>> | undefined,
): 'notification' | 'state' | 'unknown' {
  let props = schema?.properties as Record<string, Record<string, unknown>> | undefined;
  if (props?.specversion && props.data?.properties) props = props.data.properties as typeof props;
  if (!props) return 'unknown';
  const names = Object.keys(props);
  if (names.length === 0) return 'unknown';
  const pointers = names.filter((n) => POINTER.test(n));
  return pointers.length === names.length && pointers.some((n) => /id$|ids$/i.test(n)) ? 'notification' : 'state';
}
