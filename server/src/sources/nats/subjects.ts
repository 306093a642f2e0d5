/**
 * NATS subject rules, pure: wildcard matching, which subjects are the server's own machinery
 * (hidden unless asked for), which names a configuration selects, and what a JetStream ack
 * subject says.
 */

/** Whether `subject` matches a NATS `pattern` (`*` one token, `>` one or more trailing tokens). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return p.length === s.length;
}

/**
 * Prefixes of the server's and clients' own subjects: the JetStream API and its advisories, acks
 * and flow control, reply inboxes, KV and object-store internals, system events, MQTT bridge state.
 */
const INTERNAL_PREFIXES = ['$JS.', '$JSC.', '$KV.', '$O.', '$SYS.', '$MQTT.', '_INBOX.', '_R_.'];

/** A subject of the server's or clients' machinery rather than an application's event. */
export const isInternalSubject = (subject: string) => INTERNAL_PREFIXES.some((p) => subject.startsWith(p));

/** A pattern that matches every application subject (`>` or `*.>`-like): it breaks "no responders". */
export const isBlanket = (pattern: string) => /^(\*\.)*>$/.test(pattern);

/** A configured name: exact, a `/regex/`, or a glob (`ORDERS_*`). */
function nameMatcher(pattern: string): (name: string) => boolean {
  const regex = /^\/(.*)\/$/.exec(pattern);
  if (regex?.[1] !== undefined) {
    const r = new RegExp(regex[1]);
    return (name) => r.test(name);
  }
  if (/[*?]/.test(pattern)) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    const r = new RegExp(`^${source}$`);
    return (name) => r.test(name);
  }
  return (name) => name === pattern;
}

/** Splits configured patterns into the names they match and the patterns that match none. */
export function matchNames(
  patterns: readonly string[],
  names: readonly string[],
): { matched: string[]; missing: string[] } {
  const matched = new Set<string>();
  const missing: string[] = [];
  for (const p of patterns) {
    const hits = names.filter(nameMatcher(p));
    if (hits.length === 0) missing.push(p);
    for (const h of hits) matched.add(h);
  }
  return { matched: [...matched].sort(), missing };
}

/** What a consumer's acknowledgement subject says about the message it acknowledges. */
export type AckSubject = {
  readonly stream: string;
  readonly consumer: string;
  /** How many times this message was delivered to the consumer (1 the first time). */
  readonly delivered: number;
  readonly streamSeq: number;
  readonly consumerSeq: number;
  /** When the message was stored, in ms. */
  readonly timestamp: number;
  /** Messages left for the consumer after this one. */
  readonly pending: number;
};

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ns>.<pending>` (v1), or the v2 form with
 * a domain and an account hash before the stream and a random token after; undefined otherwise.
 */
export function parseAck(subject: string): AckSubject | undefined {
  const t = subject.split('.');
  if (t[0] !== '$JS' || t[1] !== 'ACK') return undefined;
  const rest = t.length === 9 ? t.slice(2) : t.length >= 11 ? t.slice(4, 11) : undefined;
  if (!rest) return undefined;
  const [stream, consumer, ...numbers] = rest as [string, string, ...string[]];
  if (!numbers.every((n) => /^\d+$/.test(n))) return undefined;
  const [delivered, streamSeq, consumerSeq, ns, pending] = numbers.map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    stream,
    consumer,
    delivered,
    streamSeq,
    consumerSeq,
    timestamp: Math.floor(ns / 1e6),
    pending,
  };
}

/** What an ack body means: empty or `+ACK` acknowledges; the others say the consumer did not. */
export function ackKind(body: string): 'ack' | 'nak' | 'term' | 'progress' | 'next' | 'unknown' {
  const word = body.trim().split(/\s/)[0] ?? '';
  if (word === '' || word === '+ACK') return 'ack';
  if (word === '-NAK') return 'nak';
  if (word === '+TERM') return 'term';
  if (word === '+WPI') return 'progress';
  if (word === '+NXT') return 'next';
  return 'unknown';
}
