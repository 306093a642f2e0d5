import { expect } from 'vitest';
import type { EventSource, SourceSink } from '../src/sources/contract.js';
import { describeEventSource } from './eventSourceContract.js';
import { freePort } from './helpers.js';
import {
  AMQP_URL,
  amqpForwarder,
  flowscopeOnBroker,
  management,
  queueDepth,
  rabbitSource,
  testConnection,
  unique,
} from './rabbitmqBroker.js';

/**
 * AMQP keeps no history: a tap sees only what is published while its queue is bound. The suite
 * feeds before it starts the source, so publishes wait until the tap reports `connected` (its
 * bindings are in place); the application's queue gets every message either way.
 */
function tapped(source: EventSource) {
  let ready!: () => void;
  const connected = new Promise<void>((resolve) => (ready = resolve));
  const wrapped: EventSource = {
    id: source.id,
    broker: source.broker,
    cluster: source.cluster,
    target: source.target,
    start: (sink: SourceSink) =>
      source.start({
        ...sink,
        state: (state, problem) => {
          if (state === 'connected') ready();
          sink.state(state, problem);
        },
      }),
    stop: () => source.stop(),
    leftovers: () => source.leftovers?.() ?? [],
  };
  return { wrapped, connected };
}

describeEventSource({
  name: 'rabbitmq',
  make: async () => {
    const rabbit = testConnection();
    const exchange = unique('contract');
    const appQueue = `${exchange}-app`;
    // Declared on first use: cases that neither feed nor start (no history) leave nothing behind.
    let declared: Promise<void> | undefined;
    const declare = () =>
      (declared ??= (async () => {
        await rabbit.exchangeDeclare({ exchange, type: 'topic', autoDelete: false });
        await rabbit.queueDeclare({ queue: appQueue });
        // An application's binding: what mirror mode copies.
        await rabbit.queueBind({ queue: appQueue, exchange, routingKey: 'orders.#' });
      })());
    const publisher = rabbit.createPublisher({ confirm: true });
    let published = 0;
    const publish = async (bodies: readonly (Buffer | string)[]) => {
      for (const body of bodies) await publisher.send({ exchange, routingKey: 'orders.placed' }, body);
      published += bodies.length;
    };
    const source = rabbitSource([exchange]);
    const { wrapped, connected } = tapped(source);
    let up = false;
    void connected.then(() => (up = true));
    const whenTapped = async (bodies: readonly (Buffer | string)[]) => {
      await declare();
      if (up) return publish(bodies);
      void connected.then(() => publish(bodies));
    };
    return {
      source: { ...wrapped, start: async (sink: SourceSink) => declare().then(() => wrapped.start(sink)) },
      feed: (count) => whenTapped(Array.from({ length: count }, (_, i) => `{"n":${i}}`)),
      feedPayloads: (values) => whenTapped(values.map((v) => (v === null ? Buffer.alloc(0) : Buffer.from(v)))),
      // Delivery ids are per tap (start time and a counter): AMQP has no offset, message_id is
      // whatever the producer set, and a second tap only sees messages published while it runs.
      noHistoryBecause: 'AMQP keeps no history: a tap copies what is routed while its queue is bound',
      readOnly: {
        rule: 'only its own exclusive auto-delete queue, bound with the keys applications use: no consume from, declare of or binding to an application queue, nothing left after stop',
        check: async () => {
          expect(await flowscopeOnBroker()).toEqual([]);
          // Every message reached the application queue; nothing took one from it.
          expect(await queueDepth(rabbit, appQueue)).toBe(published);
          const consumers = await management<{ queue: { name: string } }[]>('consumers/%2F');
          expect(consumers.filter((c) => c.queue.name === appQueue)).toEqual([]);
          const bindings = await management<{ destination: string }[]>(
            `exchanges/%2F/${encodeURIComponent(exchange)}/bindings/source`,
          );
          expect(bindings.map((b) => b.destination)).toEqual([appQueue]);
        },
      },
      cleanup: async () => {
        await publisher.close();
        if (!declared) return rabbit.close();
        await rabbit.queueDelete({ queue: appQueue });
        await rabbit.exchangeDelete({ exchange });
        await rabbit.close();
      },
    };
  },
  unreachable: async () => {
    const port = await freePort();
    const proxy = amqpForwarder(port);
    const source = rabbitSource(['amq.topic'], { url: AMQP_URL.replace(':5672', `:${port}`) });
    return { source, bringBack: proxy.open, cleanup: proxy.close };
  },
});
