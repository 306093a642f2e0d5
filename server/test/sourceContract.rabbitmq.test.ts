import { expect } from 'vitest';
import type { EventSource, SourceSink } from '../src/sources/contract.js';
import { describeEventSource } from './eventSourceContract.js';
import { eventually, freePort, recordingSink } from './helpers.js';
import {
  AMQP_URL,
  amqpForwarder,
  leftOnBroker,
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
        const ch = await rabbit.channel();
        await ch.assertExchange(exchange, 'topic', { durable: false });
        await ch.assertQueue(appQueue, { durable: false });
        // An application's binding: what mirror mode copies.
        await ch.bindQueue(appQueue, exchange, 'orders.#');
      })());
    let published = 0;
    const publish = async (bodies: readonly (Buffer | string)[]) => {
      for (const body of bodies) await rabbit.publish(exchange, 'orders.placed', body);
      published += bodies.length;
    };
    const source = rabbitSource([exchange]);
    const { wrapped, connected } = tapped(source);
    let up = false;
    void connected.then(() => (up = true));
    const whenTapped = async (bodies: readonly (Buffer | string)[]) => {
      await declare();
      if (up) return publish(bodies);
      // In the background until the tap is in place. A publish that the cleanup's close cuts short
      // is no unhandled failure: one lost during a case shows as a missing record, or (AMQP) in
      // the application queue's depth that the read-only check compares with what was published.
      void connected.then(() => publish(bodies)).catch(() => undefined);
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
          expect(await leftOnBroker()).toEqual([]);
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
        if (!declared) return rabbit.close();
        await (await rabbit.channel()).deleteQueue(appQueue);
        await (await rabbit.channel()).deleteExchange(exchange);
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

/** Stream entries stay whatever reads them: small segments and retention, so history can be lost on purpose. */
const STREAM_ARGS = {
  'x-queue-type': 'stream',
  'x-max-length-bytes': 1_000_000,
  'x-stream-max-segment-size-bytes': 400_000,
};

describeEventSource({
  name: 'rabbitmq stream',
  make: async () => {
    const rabbit = testConnection();
    const stream = unique('contract-stream');
    let declared: Promise<void> | undefined;
    const declare = () =>
      (declared ??= (async () => {
        await (await rabbit.channel()).assertQueue(stream, { durable: true, arguments: STREAM_ARGS });
      })());
    let fed = 0;
    const append = async (bodies: readonly (Buffer | string)[]) => {
      await declare();
      fed += bodies.length;
      // One confirmed entry at a time: each is its own chunk, so retention removes whole old segments.
      for (const body of bodies) await rabbit.publish('', stream, body);
    };
    // From offset 0: everything the stream holds, and a gap when retention removed the start.
    const config = { streams: [stream], from: { kind: 'offset', offset: '0' } as const };
    const source = rabbitSource([], config);
    return {
      source: {
        ...source,
        id: source.id,
        start: async (sink: SourceSink) => declare().then(() => source.start(sink)),
        stop: () => source.stop(),
        leftovers: () => source.leftovers(),
      },
      feed: (count) => append(Array.from({ length: count }, (_, i) => `{"n":${i}}`)),
      feedPayloads: (values) => append(values.map((v) => (v === null ? Buffer.alloc(0) : Buffer.from(v)))),
      again: () => rabbitSource([], config),
      loseHistory: () => append(Array.from({ length: 20 }, () => Buffer.alloc(100_000, 0x62))),
      readOnly: {
        rule: 'a consumer of its own with x-stream-offset, a prefetch and acks (which only give credit back): a stream keeps every entry for every reader; never declares a stream; nothing left after stop',
        check: async () => {
          // No connection of Flowscope's is left, so no consumer either (one never outlives its
          // connection; the API's consumer list lags by a statistics sample or two).
          expect(await leftOnBroker()).toEqual([]);
          // Every entry is still there for every reader: a fresh read from offset 0 sees them all.
          const again = rabbitSource([], config);
          const rec = recordingSink();
          await again.start(rec.sink);
          try {
            await eventually(() => (rec.records.length >= fed ? true : undefined), 10_000, `all ${fed} entries`);
          } finally {
            await again.stop();
          }
        },
      },
      cleanup: async () => {
        if (declared) await (await rabbit.channel()).deleteQueue(stream);
        await rabbit.close();
      },
    };
  },
});
