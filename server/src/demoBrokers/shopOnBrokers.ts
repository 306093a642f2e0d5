import { createRandom } from '../sources/demo/random.js';
import { Shop, type ShopMessage } from '../sources/demo/shop.js';
import { KafkaOutlet } from './kafkaOutlet.js';
import { toAmqpMessage, toKafkaMessage, toNatsMessage, toScannerAck, toStreamFields } from './messages.js';
import { MqttOutlet } from './mqttOutlet.js';
import { NatsOutlet } from './natsOutlet.js';
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
  /** `nats://host:4222`, with JetStream */
  nats: string;
  /** `mqtt://host:1883` */
  mqtt: string;
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
   * queues, the JetStream streams and the Redis streams it created. Kafka topics stay (the demo's
   * Kafka is its own); MQTT keeps nothing (no message is retained).
   */
  stop(): Promise<void>;
}>;

type Outlets = { kafka: KafkaOutlet; rabbitmq: RabbitOutlet; nats: NatsOutlet; mqtt: MqttOutlet; redis: RedisOutlet };

/**
 * The demo shop's services (`sources/demo/shop.ts`) publishing to real brokers: orders on Kafka,
 * inventory on a NATS JetStream stream, payments on RabbitMQ, shipments, notifications and
 * analytics on Redis Streams; each reservation is acknowledged by the warehouse's pick scanner
 * on MQTT. Opening declares what the shop needs (so a tap started next sees the applications'
 * bindings) and publishes nothing until `start`.
 */
export async function openShopOnBrokers(o: ShopOnBrokersOptions): Promise<ShopOnBrokers> {
  const names = shopNames(o.prefix ?? 'shop.');
  const outlets = await openOutlets(o, names);
  const rng = createRandom(o.seed ?? Date.now());
  const counts: Record<ShopBroker, number> = { kafka: 0, rabbitmq: 0, nats: 0, mqtt: 0, redis: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let running = false;

  const track = (broker: ShopBroker, sent: Promise<void>) => {
    const done = sent.then(
      () => void (counts[broker] += 1),
      (err: unknown) => o.onError?.(broker, err instanceof Error ? err : new Error(String(err))),
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const publish = (message: ShopMessage) => {
    const route = names.route(message.channel);
    if (!route || !running) return;
    const now = Date.now();
    const { name } = route;
    if (route.broker === 'kafka') track('kafka', outlets.kafka.publish(name, toKafkaMessage(message, now, rng)));
    else if (route.broker === 'rabbitmq')
      track('rabbitmq', outlets.rabbitmq.publish(name, toAmqpMessage(message, now, rng)));
    else if (route.broker === 'redis') track('redis', outlets.redis.publish(name, toStreamFields(message, now, rng)));
    else {
      const subject = names.subject(message.channel, message.type);
      track('nats', outlets.nats.publish(subject, toNatsMessage(message, now, rng)));
    }
    // The warehouse's pick scanner acknowledges each reservation a moment later.
    if (message.type === 'inventory.reserved')
      after(rng.between(40, 200), () => {
        const topic = names.scannerTopic(String(message.data.warehouse));
        track('mqtt', outlets.mqtt.publish(topic, toScannerAck(message, Date.now(), rng)));
      });
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

/**
 * Redis, RabbitMQ and NATS first: they refuse names in use before anything is created on Kafka.
 * What was opened before a failure is closed again (deleting what it created).
 */
async function openOutlets(o: ShopOnBrokersOptions, names: ShopNames): Promise<Outlets> {
  const opened: { close(): Promise<void> }[] = [];
  const open = async <T extends { close(): Promise<void> }>(outlet: Promise<T>) => {
    const it = await outlet;
    opened.push(it);
    return it;
  };
  try {
    const redis = await open(RedisOutlet.open(o.redis, names.channels.redis));
    const rabbitmq = await open(RabbitOutlet.open(o.rabbitmq, names.channels.rabbitmq, names.queues));
    const nats = await open(NatsOutlet.open(o.nats, names.streams));
    const mqtt = await open(MqttOutlet.open(o.mqtt));
    const kafka = await KafkaOutlet.open(o.kafka, names.channels.kafka);
    return { kafka, rabbitmq, nats, mqtt, redis };
  } catch (err) {
    await Promise.allSettled(opened.map((outlet) => outlet.close()));
    throw err;
  }
}

/** Closes every outlet even when one fails; the first failure is thrown after. */
async function closeAll(outlets: Outlets): Promise<void> {
  const results = await Promise.allSettled(Object.values(outlets).map((outlet) => outlet.close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
