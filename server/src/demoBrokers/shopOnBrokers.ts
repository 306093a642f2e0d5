import { createRandom } from '../sources/demo/random.js';
import { Shop, type ShopMessage } from '../sources/demo/shop.js';
import { KafkaOutlet } from './kafkaOutlet.js';
import { toAmqpMessage, toKafkaMessage, toStreamFields } from './messages.js';
import { RabbitOutlet } from './rabbitOutlet.js';
import { RedisOutlet } from './redisOutlet.js';
import { shopNames, type ShopBroker, type ShopNames } from './routes.js';

export type ShopOnBrokersOptions = Readonly<{
  /** Kafka bootstrap brokers, `host:port[,host:port]`. */
  kafka: string;
  /** `amqp://user:password@host:5672/vhost` */
  rabbitmq: string;
  /** `redis://host:6379` */
  redis: string;
  /** Put in front of every topic, exchange, queue and stream name (default `shop.`). */
  prefix?: string;
  ordersPerSecond?: number;
  seed?: number;
  /** A publish that failed; the shop goes on with the next message. */
  onError?: (broker: ShopBroker, err: Error) => void;
}>;

export type ShopOnBrokers = Readonly<{
  names: ShopNames;
  /** Starts placing orders; their events follow on every broker. */
  start(): void;
  /** Messages published so far, per broker. */
  published(): Readonly<Record<ShopBroker, number>>;
  /**
   * Stops the shop, waits for what is being published, and deletes the RabbitMQ exchanges and
   * queues and the Redis streams it created. Kafka topics stay (the demo's Kafka is its own).
   */
  stop(): Promise<void>;
}>;

type Outlets = { kafka: KafkaOutlet; rabbitmq: RabbitOutlet; redis: RedisOutlet };

/**
 * The demo shop's services (`sources/demo/shop.ts`) publishing to real brokers: orders and
 * inventory on Kafka, payments on RabbitMQ, shipments, notifications and analytics on Redis
 * Streams. Opening declares what the shop needs (so a tap started next sees the applications'
 * bindings) and publishes nothing until `start`.
 */
export async function openShopOnBrokers(o: ShopOnBrokersOptions): Promise<ShopOnBrokers> {
  const names = shopNames(o.prefix ?? 'shop.');
  const outlets = await openOutlets(o, names);
  const rng = createRandom(o.seed ?? Date.now());
  const counts: Record<ShopBroker, number> = { kafka: 0, rabbitmq: 0, redis: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let running = false;

  const publish = (message: ShopMessage) => {
    const route = names.route(message.channel);
    if (!route || !running) return;
    const now = Date.now();
    const sent =
      route.broker === 'kafka'
        ? outlets.kafka.publish(route.name, toKafkaMessage(message, now, rng))
        : route.broker === 'rabbitmq'
          ? outlets.rabbitmq.publish(route.name, toAmqpMessage(message, now, rng))
          : outlets.redis.publish(route.name, toStreamFields(message, now, rng));
    const done = sent.then(
      () => void (counts[route.broker] += 1),
      (err: unknown) => o.onError?.(route.broker, err instanceof Error ? err : new Error(String(err))),
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const after = (ms: number, run: () => void) => {
    if (!running) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (running) run();
    }, ms);
    timers.add(t);
  };
  const shop = new Shop(rng, { after, publish });
  const interval = 1000 / (o.ordersPerSecond ?? 1);
  const tick = () => {
    shop.placeOrder();
    after(interval * (0.5 + rng.next()), tick); // jittered, so orders do not march in lockstep
  };

  return {
    names,
    start: () => {
      if (running) return;
      running = true;
      tick();
    },
    published: () => ({ ...counts }),
    stop: async () => {
      running = false;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(inFlight);
      await closeAll(outlets);
    },
  };
}

/** Redis and RabbitMQ first: they refuse names in use before anything is created on Kafka. */
async function openOutlets(o: ShopOnBrokersOptions, names: ShopNames): Promise<Outlets> {
  const redis = await RedisOutlet.open(o.redis, names.channels.redis);
  let rabbitmq: RabbitOutlet | undefined;
  try {
    rabbitmq = await RabbitOutlet.open(o.rabbitmq, names.channels.rabbitmq, names.queues);
    const kafka = await KafkaOutlet.open(o.kafka, names.channels.kafka);
    return { kafka, rabbitmq, redis };
  } catch (err) {
    await Promise.allSettled([redis.close(), rabbitmq?.close()]);
    throw err;
  }
}

/** Closes every outlet even when one fails; the first failure is thrown after. */
async function closeAll(outlets: Outlets): Promise<void> {
  const results = await Promise.allSettled([outlets.kafka.close(), outlets.rabbitmq.close(), outlets.redis.close()]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
