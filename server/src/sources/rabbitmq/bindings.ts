import type { Binding, Exchange, Queue } from './management.js';

/** One binding of Flowscope's tap queue. */
export type TapBinding = {
  readonly exchange: string;
  readonly routingKey: string;
  readonly arguments: Readonly<Record<string, unknown>>;
};

/**
 * Exchanges whose bindings are destinations that share the traffic: a tap bound there would take
 * messages away from applications. Never bound.
 */
const SHARING_TYPES = new Set(['x-consistent-hash', 'x-modulus-hash', 'x-random', 'x-local-random']);
/** The default exchange cannot be bound (403); the firehose is opt-in and not tapped this way. */
const NEVER = new Set(['', 'amq.rabbitmq.trace']);

/** Exact names, or `/regex/` strings, as --exchanges and --rabbitmq-streams take them. */
export function matchesAny(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) =>
    p.length > 2 && p.startsWith('/') && p.endsWith('/') ? new RegExp(p.slice(1, -1)).test(name) : p === name,
  );
}

export const isExactName = (p: string) => !(p.length > 2 && p.startsWith('/') && p.endsWith('/'));

export const bindingKey = (b: TapBinding) => JSON.stringify([b.exchange, b.routingKey, sortedArgs(b.arguments)]);

function sortedArgs(args: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(args).sort(([a], [b]) => a.localeCompare(b));
}

export type TapPlan = {
  readonly bindings: TapBinding[];
  /** Every exchange tapped (configured, alternate, exchange-to-exchange and dead-letter ones). */
  readonly exchanges: string[];
  /** Exchanges that match but are never bound, with the reason, for the source's state. */
  readonly skipped: { readonly exchange: string; readonly why: string }[];
};

/**
 * What the tap queue binds. Mirror mode copies the keys and arguments that applications' bindings
 * (to queues or to other exchanges) already use, so every message the tap sees was routed anyway
 * and nothing that was unroutable becomes routable (alternate exchanges and `mandatory` returns
 * behave as before). Each tapped exchange's alternate exchange, and the dead-letter exchange of
 * each queue bound to a tapped exchange (argument or policy), are tapped the same way. Wildcard
 * mode binds everything (`#`, empty headers arguments), which does change unroutable messages.
 * Bindings of streams read by offset (`readDirectly`) are not mirrored: their entries come from the
 * stream, and a copy through the exchange too would show each message twice.
 */
export function planBindings(
  exchanges: readonly Exchange[],
  bindings: readonly Binding[],
  queues: readonly Queue[],
  patterns: readonly string[],
  wildcard: boolean,
  ownQueue: string,
  readDirectly: ReadonlySet<string> = new Set(),
): TapPlan {
  const byName = new Map(exchanges.map((e) => [e.name, e]));
  const tapped = new Map<string, Exchange>();
  const skipped: TapPlan['skipped'] = [];
  const add = (e: Exchange | undefined) => {
    if (!e || tapped.has(e.name) || NEVER.has(e.name)) return;
    if (SHARING_TYPES.has(e.type)) {
      skipped.push({ exchange: e.name, why: `${e.type} exchanges share messages among their bindings` });
      return;
    }
    tapped.set(e.name, e);
    const alternate = e.arguments['alternate-exchange'];
    if (typeof alternate === 'string') add(byName.get(alternate));
  };
  for (const e of exchanges) if (matchesAny(patterns, e.name)) add(e);
  const deadLetters = new Map(queues.map((q) => [q.name, deadLetterExchange(q)]));
  for (let before = -1; before !== tapped.size;) {
    before = tapped.size;
    for (const b of bindings) {
      if (!tapped.has(b.source)) continue;
      // Exchange-to-exchange: the destination is tapped with its own applications' keys, so a
      // copy is made only when the message reaches an application queue there.
      if (b.destination_type === 'exchange') add(byName.get(b.destination));
      else add(byName.get(deadLetters.get(b.destination) ?? ''));
    }
  }

  const out = new Map<string, TapBinding>();
  const put = (b: TapBinding) => out.set(bindingKey(b), b);
  for (const e of tapped.values()) {
    if (wildcard && e.type === 'topic') put({ exchange: e.name, routingKey: '#', arguments: {} });
    else if (wildcard && (e.type === 'fanout' || e.type === 'headers'))
      put({ exchange: e.name, routingKey: '', arguments: {} });
    else
      for (const b of bindings)
        if (
          b.source === e.name &&
          b.destination_type === 'queue' &&
          b.destination !== ownQueue &&
          !readDirectly.has(b.destination)
        )
          put({
            exchange: e.name,
            routingKey: e.type === 'fanout' ? '' : b.routing_key,
            arguments: e.type === 'headers' ? b.arguments : {},
          });
  }
  return { bindings: [...out.values()], exchanges: [...tapped.keys()], skipped };
}

/** Where a queue's rejected and expired messages go: its argument, else its policy. */
function deadLetterExchange(q: Queue): string | undefined {
  const arg = q.arguments?.['x-dead-letter-exchange'];
  if (typeof arg === 'string') return arg;
  const policy = q.effective_policy_definition;
  const fromPolicy =
    policy && !Array.isArray(policy) ? (policy as Record<string, unknown>)['dead-letter-exchange'] : undefined;
  return typeof fromPolicy === 'string' ? fromPolicy : undefined;
}
