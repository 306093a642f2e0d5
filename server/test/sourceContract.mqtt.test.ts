import type { MqttClient } from 'mqtt';
import { expect } from 'vitest';
import { rootLogger } from '../src/log.js';
import type { EventSource, SourceSink } from '../src/sources/contract.js';
import { MqttSource } from '../src/sources/mqtt/mqttSource.js';
import { describeEventSource } from './eventSourceContract.js';
import { freePort, tcpForwarder } from './helpers.js';
import { appClient, MQTT_URL, sessionPresent, unique } from './mqttBroker.js';

/** Packets a tap may send: its connection, subscriptions, acknowledgements of deliveries, keep-alive. */
const TAP_PACKETS = ['connect', 'subscribe', 'puback', 'pubrec', 'pubcomp', 'pingreq', 'disconnect'];

/**
 * MQTT keeps no history for a new subscriber (retained state aside): the suite feeds before it
 * starts the source, so publishes wait until the tap reports `connected` (its subscriptions are
 * granted). An application subscribed to the same topics gets every message either way.
 */
function tapped(source: MqttSource) {
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
  };
  return { wrapped, connected };
}

describeEventSource({
  name: 'mqtt',
  make: async () => {
    const prefix = unique('contract');
    // Connected on first use: cases that neither feed nor start (no history) leave nothing open.
    let clients: Promise<{ app: MqttClient; publisher: MqttClient }> | undefined;
    let appGot = 0;
    let appDropped = 0;
    const connectClients = () =>
      (clients ??= (async () => {
        const app = await appClient(`contract-app-${prefix.slice(-8)}`);
        app.on('message', () => (appGot += 1));
        app.on('close', () => (appDropped += 1));
        await app.subscribeAsync(`${prefix}/#`, { qos: 1 });
        return { app, publisher: await appClient(`contract-pub-${prefix.slice(-8)}`) };
      })());
    const source = new MqttSource({ cluster: 'contract', url: MQTT_URL, topics: [`${prefix}/#`] }, rootLogger);
    const { wrapped, connected } = tapped(source);
    let up = false;
    void connected.then(() => (up = true));
    let published = 0;
    const publish = async (values: readonly (Uint8Array | string | null)[]) => {
      const { publisher } = await connectClients();
      for (const v of values) {
        await publisher.publishAsync(`${prefix}/orders`, v === null ? Buffer.alloc(0) : Buffer.from(v), { qos: 1 });
        published += 1;
      }
    };
    const whenTapped = async (values: readonly (Uint8Array | string | null)[]) => {
      await connectClients();
      if (up) return publish(values);
      // In the background until the tap is in place. A publish that the cleanup's close cuts short
      // is no unhandled failure: one lost during a case shows as a missing record.
      void connected.then(() => publish(values)).catch(() => undefined);
    };
    return {
      source: { ...wrapped, start: async (sink: SourceSink) => connectClients().then(() => wrapped.start(sink)) },
      feed: (count) => whenTapped(Array.from({ length: count }, (_, i) => `{"n":${i}}`)),
      feedPayloads: (values) => whenTapped(values),
      // Delivery ids are per tap (its client id and a counter): MQTT messages have no id or offset.
      noHistoryBecause:
        'MQTT keeps no history for a new subscriber: a clean-start tap gets what is published while it is subscribed (and retained state)',
      readOnly: {
        rule: 'a plain subscription under a random flowscope-tap- client id: never a PUBLISH (or PUBREL), never $share, no session left after stop; an application subscribed to the same topics gets every message and keeps its connection',
        check: async () => {
          const sent = Object.keys(source.packetCounts());
          expect(sent.filter((p) => !TAP_PACKETS.includes(p))).toEqual([]);
          expect(await sessionPresent(source.clientId)).toBe(false);
          await expect.poll(() => appGot, { timeout: 10_000 }).toBe(published);
          expect(appDropped).toBe(0);
        },
      },
      cleanup: async () => {
        if (!clients) return;
        const { app, publisher } = await clients;
        await publisher.endAsync();
        await app.endAsync();
      },
    };
  },
  unreachable: async () => {
    const port = await freePort();
    const proxy = tcpForwarder(port, '127.0.0.1:1883');
    const source = new MqttSource(
      { cluster: 'contract', url: `mqtt://127.0.0.1:${port}`, topics: [`${unique('down')}/#`] },
      rootLogger,
    );
    return { source, bringBack: proxy.open, cleanup: proxy.close };
  },
});
