/** The brokers the demo shop publishes to. */
export type ShopBroker = 'kafka' | 'rabbitmq' | 'redis';

/**
 * Where each channel of the simulated shop goes: the order side on Kafka, payments on RabbitMQ,
 * fulfilment on Redis Streams. One order crosses all three.
 */
const routes: Readonly<Record<string, ShopBroker>> = {
  orders: 'kafka',
  inventory: 'kafka',
  payments: 'rabbitmq',
  'payments.dlq': 'rabbitmq',
  shipments: 'redis',
  notifications: 'redis',
  analytics: 'redis',
};

/** A queue of an application on RabbitMQ and what it binds (exchange as the shop names it, binding key). */
export type ShopQueue = Readonly<{ name: string; bindings: readonly { exchange: string; key: string }[] }>;

/** The order service reads payment results, and dead-lettered payments to cancel their orders. */
const queues: readonly ShopQueue[] = [
  {
    name: 'order-service',
    bindings: [
      { exchange: 'payments', key: 'payment.#' },
      { exchange: 'payments.dlq', key: '#' },
    ],
  },
];

export type ShopNames = Readonly<{
  /** Kafka topics, RabbitMQ exchanges and Redis stream keys, by broker. */
  channels: Readonly<Record<ShopBroker, readonly string[]>>;
  queues: readonly ShopQueue[];
  /** The broker and the name on it of one of the shop's channels (`orders`), if it has one. */
  route(channel: string): { broker: ShopBroker; name: string } | undefined;
}>;

/** The names on the brokers: every shop channel and queue with `prefix` in front (`shop.orders`). */
export function shopNames(prefix: string): ShopNames {
  const channels: Record<ShopBroker, string[]> = { kafka: [], rabbitmq: [], redis: [] };
  for (const [channel, broker] of Object.entries(routes)) channels[broker].push(prefix + channel);
  return {
    channels,
    queues: queues.map((q) => ({
      name: prefix + q.name,
      bindings: q.bindings.map((b) => ({ exchange: prefix + b.exchange, key: b.key })),
    })),
    route: (channel) => {
      const broker = routes[channel];
      return broker ? { broker, name: prefix + channel } : undefined;
    },
  };
}
