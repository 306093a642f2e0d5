import type { BrokerKind, Consumer, ConsumerKind } from '@flowscope/shared';
import { formatCount } from '../../../lib/format';

/** What each broker calls a consumer of that kind, one and many. */
const KIND_NAMES: Readonly<Record<ConsumerKind, readonly [one: string, many: string]>> = {
  'consumer-group': ['consumer group', 'consumer groups'],
  queue: ['queue', 'queues'],
  durable: ['durable', 'durables'],
  subscription: ['subscription', 'subscriptions'],
  rule: ['rule', 'rules'],
};

export const kindName = (kind: ConsumerKind, count = 1): string => KIND_NAMES[kind][count === 1 ? 0 : 1];

const BROKER_NAMES: Readonly<Record<BrokerKind, string>> = {
  demo: 'Demo',
  kafka: 'Kafka',
  rabbitmq: 'RabbitMQ',
  redis: 'Redis',
  nats: 'NATS',
  mqtt: 'MQTT',
  sqs: 'SQS',
  file: 'Replay',
};

/** On AWS (broker `sqs`) subscriptions are SNS's and rules EventBridge's. */
const AWS_KIND_BROKERS: Partial<Record<ConsumerKind, string>> = { subscription: 'SNS', rule: 'EventBridge' };

/** `Kafka consumer group`, `RabbitMQ queue`, `SNS subscription`. */
export const consumerKindText = (c: Pick<Consumer, 'broker' | 'kind'>): string =>
  `${(c.broker === 'sqs' ? AWS_KIND_BROKERS[c.kind] : undefined) ?? BROKER_NAMES[c.broker]} ${kindName(c.kind)}`;

/** What a person must know about a consumer that its numbers do not say; undefined when nothing. */
export const consumerNote = (c: Pick<Consumer, 'broker' | 'kind'>): string | undefined =>
  c.broker === 'sqs' && c.kind === 'queue'
    ? "Messages of an SQS queue are not shown: any receive, even one that puts them back, counts toward the queue's dead-lettering. To see them, tap the SNS topic or EventBridge bus that feeds it (--aws-topics, --aws-buses)."
    : undefined;

/** Kafka counts records; every other broker, messages. */
export const lagAmount = (broker: BrokerKind | undefined, n: number): string =>
  `${formatCount(n)} ${broker === 'kafka' ? (n === 1 ? 'record' : 'records') : n === 1 ? 'message' : 'messages'}`;

/** Why the lag is not known: Kafka has nothing committed yet; other brokers did not say. */
export const unknownLag = (broker: BrokerKind | undefined): string =>
  broker === 'kafka' ? 'no offsets committed yet' : 'not reported by the broker';

/**
 * The consumers behind an edge named for people, by kind in order of appearance:
 * `consumer group ledger-app`, `queues billing, audit`, `consumer group a; queue b` (`consumer x` when
 * the topology does not list it).
 */
export function consumersText(consumers: readonly Readonly<{ id: string; kind?: ConsumerKind }>[]): string {
  const byKind = new Map<ConsumerKind | undefined, string[]>();
  for (const c of consumers) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c.id]);
  const named = (kind: ConsumerKind | undefined, n: number) =>
    kind ? kindName(kind, n) : n === 1 ? 'consumer' : 'consumers';
  return [...byKind].map(([kind, ids]) => `${named(kind, ids.length)} ${ids.join(', ')}`).join('; ');
}

/** The panel's title before the service name: `Consumer group`, `2 queues`, `3 consumers`. */
export function panelTitle(consumers: readonly Pick<Consumer, 'kind'>[]): string {
  const kinds = new Set(consumers.map((c) => c.kind));
  const [only] = kinds;
  const n = consumers.length;
  if (kinds.size !== 1 || only === undefined) return `${n} consumers`;
  const name = kindName(only, n);
  return n === 1 ? name.charAt(0).toUpperCase() + name.slice(1) : `${n} ${name}`;
}
