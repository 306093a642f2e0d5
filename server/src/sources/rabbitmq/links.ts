import type { ChannelLink } from '@flowscope/shared';
import type { Binding, Exchange, Queue } from './management.js';

/** What the management API said about one vhost in one reading. */
export type VhostView = {
  readonly exchanges: readonly Exchange[];
  readonly bindings: readonly Binding[];
  readonly queues: readonly Queue[];
};

/** The source the links are read for: its id and cluster name, as its events carry them. */
type LinkOrigin = { readonly source: string; readonly cluster: string };

/** Where a queue's rejected and expired messages go, and with which routing key (absent: their own). */
type DeadLetterRoute = { readonly exchange: string; readonly routingKey?: string };

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * A queue's dead-letter exchange and routing key: each from its argument (`x-dead-letter-…`),
 * which overrules the policy, else from its policy (`dead-letter-…`). The API gives an empty
 * array, not an object, for a queue without a policy.
 */
export function deadLetterRoute(q: Queue): DeadLetterRoute | undefined {
  const args = q.arguments ?? {};
  const policy = q.effective_policy_definition;
  // Array.isArray does not narrow a readonly array out of a union, hence the cast.
  const fromPolicy = policy && !Array.isArray(policy) ? (policy as Readonly<Record<string, unknown>>) : {};
  const exchange = text(args['x-dead-letter-exchange']) ?? text(fromPolicy['dead-letter-exchange']);
  if (exchange === undefined) return undefined;
  const routingKey = text(args['x-dead-letter-routing-key']) ?? text(fromPolicy['dead-letter-routing-key']);
  return routingKey === undefined ? { exchange } : { exchange, routingKey };
}

/** What selects a binding's messages: nothing on fanout, the headers arguments on headers, else the key. */
function bindingLabel(b: Binding, type: string | undefined): string {
  if (type === 'fanout') return '';
  if (type === 'headers')
    return Object.entries(b.arguments)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
  return b.routing_key;
}

/**
 * The routes RabbitMQ takes between channels from the tapped exchanges: their bindings to
 * applications' queues and to other exchanges, and where each of those queues dead-letters to
 * (an exchange; or, through the default exchange with a dead-letter routing key, the queue of
 * that name). Queues that are not applications' (Flowscope's tap queues, told by
 * `isApplicationQueue`), queues not listed yet, and dead-letter exchanges that do not exist
 * (RabbitMQ then drops the dead letters) give no route.
 */
export function channelLinks(
  origin: LinkOrigin,
  view: VhostView,
  tapped: ReadonlySet<string>,
  isApplicationQueue: (q: Queue) => boolean,
): ChannelLink[] {
  const types = new Map(view.exchanges.map((e) => [e.name, e.type]));
  const queues = new Map(view.queues.filter(isApplicationQueue).map((q) => [q.name, q]));
  const link = (from: string, to: string, kind: ChannelLink['kind'], label: string): ChannelLink => ({
    source: origin.source,
    broker: 'rabbitmq',
    cluster: origin.cluster,
    from,
    to,
    kind,
    label,
  });
  const out: ChannelLink[] = [];
  const reached = new Map<string, Queue>();
  for (const b of view.bindings) {
    if (!tapped.has(b.source)) continue;
    const queue = queues.get(b.destination);
    if (b.destination_type === 'queue' && !queue) continue;
    if (queue && b.destination_type === 'queue') reached.set(queue.name, queue);
    out.push(link(b.source, b.destination, 'binding', bindingLabel(b, types.get(b.source))));
  }
  for (const [name, queue] of reached) {
    const route = deadLetterRoute(queue);
    if (!route) continue;
    if (route.exchange !== '') {
      if (types.has(route.exchange)) out.push(link(name, route.exchange, 'dead-letter', route.routingKey ?? ''));
    } else if (route.routingKey !== undefined && queues.has(route.routingKey)) {
      // The default exchange routes by queue name: the key names the queue the dead letters reach.
      out.push(link(name, route.routingKey, 'dead-letter', ''));
    }
  }
  return out;
}
