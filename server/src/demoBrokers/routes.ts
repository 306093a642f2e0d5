/** The brokers the demo shop publishes to. */
export type ShopBroker = 'kafka' | 'rabbitmq' | 'nats' | 'mqtt' | 'redis';

/**
 * Where each channel of the simulated shop goes: the order side on Kafka, inventory on a NATS
 * JetStream stream, payments on RabbitMQ, fulfilment on Redis Streams. MQTT carries no shop
 * channel: the warehouses' pick scanners acknowledge reservations there. One order crosses all five.
 */
const routes: Readonly<Record<string, Exclude<ShopBroker, 'mqtt'>>> = {
  orders: 'kafka',
  inventory: 'nats',
  payments: 'rabbitmq',
  'payments.dlq': 'rabbitmq',
  shipments: 'redis',
  notifications: 'redis',
  analytics: 'redis',
};

/** A queue of an application on RabbitMQ and what it binds (exchange as the shop names it, binding key). */
export type ShopQueue = Readonly<{ name: string; bindings: readonly { exchange: string; key: string }[] }>;

/** A JetStream stream of the shop's and the subjects it stores. */
export type ShopStream = Readonly<{ name: string; subjects: readonly string[] }>;

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
  /** Kafka topics, RabbitMQ exchanges, JetStream streams, MQTT topic filters and Redis stream keys, by broker. */
  channels: Readonly<Record<ShopBroker, readonly string[]>>;
  queues: readonly ShopQueue[];
  streams: readonly ShopStream[];
  /** The broker and the name on it of one of the shop's channels (`orders`), if it has one. */
  route(channel: string): { broker: Exclude<ShopBroker, 'mqtt'>; name: string } | undefined;
  /** The subject of a message of a channel on NATS, by its type: `shop.inventory.reserved`. */
  subject(channel: string, type: string): string;
  /** Where a warehouse's pick scanner acknowledges: `shop/warehouse/LIS-1/picks`. */
  scannerTopic(warehouse: string): string;
}>;

/**
 * The names on the brokers: every shop channel and queue with `prefix` in front (`shop.orders`).
 * Stream names cannot hold dots (`shop-inventory`, storing `shop.inventory.>`), and MQTT levels
 * are separated by slashes (`shop/warehouse/+/picks`).
 */
export function shopNames(prefix: string): ShopNames {
  const channels: Record<ShopBroker, string[]> = { kafka: [], rabbitmq: [], nats: [], mqtt: [], redis: [] };
  const streams: ShopStream[] = [];
  const streamName = (channel: string) => (prefix + channel).replace(/\./g, '-');
  for (const [channel, broker] of Object.entries(routes)) {
    if (broker !== 'nats') channels[broker].push(prefix + channel);
    else {
      channels.nats.push(streamName(channel));
      streams.push({ name: streamName(channel), subjects: [`${prefix}${channel}.>`] });
    }
  }
  const levels = prefix.replace(/\./g, '/');
  channels.mqtt.push(`${levels}warehouse/+/picks`);
  return {
    channels,
    queues: queues.map((q) => ({
      name: prefix + q.name,
      bindings: q.bindings.map((b) => ({ exchange: prefix + b.exchange, key: b.key })),
    })),
    streams,
    route: (channel) => {
      const broker = routes[channel];
      if (!broker) return undefined;
      return { broker, name: broker === 'nats' ? streamName(channel) : prefix + channel };
    },
    // `inventory.reserved` on `inventory` → `shop.inventory.reserved`.
    subject: (channel, type) =>
      `${prefix}${channel}.${type.startsWith(`${channel}.`) ? type.slice(channel.length + 1) : type}`,
    scannerTopic: (warehouse) => `${levels}warehouse/${warehouse}/picks`,
  };
}
