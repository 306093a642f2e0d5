import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type * as Mqtt from 'mqtt';
import type { EventSource, RawRecord, SourceProblem, SourceSink } from '../contract.js';
import { ConnectRefused, describeMqttError, reasonText, refusal, refusedSubscriptions } from './errors.js';
import { DROPPED_TOPIC, DropWatch } from './drops.js';
import { tapFilters } from './filters.js';
import { RetainedState, toRecord, type Delivery } from './records.js';

export type MqttVersion = '5' | '3.1.1';

export type MqttSourceOptions = {
  /** Name shown in the UI and used in event ids. */
  readonly cluster: string;
  /** `mqtt://host:1883` or `mqtts://host:8883`, without credentials (they go in `username`/`password`). */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Topic filters (`#`, `orders/+/created`); never `$share/…` (the plugin refuses them). */
  readonly topics: readonly string[];
  /** Also subscribe to broker statistics (`$SYS/#`), which `#` does not match. */
  readonly sys?: boolean;
  /** `5` (default) falls back to 3.1.1 when the broker refuses MQTT 5; `3.1.1` never tries 5. */
  readonly version?: MqttVersion;
};

type Client = Mqtt.MqttClient;

/** host:port of an MQTT URL, without user or password. */
export function mqttAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'mqtts:' ? '8883' : '1883')}`;
  } catch {
    return 'an invalid MQTT URL';
  }
}

/** Follows one connection: `connected` settles with CONNACK, `closed` with why the connection ended. */
function watch(client: Client) {
  let last: Error | undefined;
  client.on('error', (err) => (last = err));
  client.on('disconnect', (packet) => {
    last = new Error(`the broker disconnected Flowscope: ${reasonText(packet.reasonCode ?? 0)}`);
  });
  const closed = new Promise<Error>((resolve) =>
    client.once('close', () => resolve(last ?? new Error('the connection to the broker closed'))),
  );
  const connected = new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    void closed.then((err) => reject(refusal(err) ?? err));
  });
  return { connected, closed };
}

/**
 * Taps an MQTT broker as a plain subscriber: MQTT 5, a random client id (`flowscope-tap-…`, never
 * an application's: a second connection with an id takes over the first), clean start, session
 * expiry 0, no will, never a publish. Subscriptions ask for QoS 2, so the delivered QoS is the
 * publisher's, with retain-as-published off, so the retain flag marks exactly the retained state
 * the broker replays on subscribe. A clean-start session keeps nothing: a lost connection is a gap.
 */
export class MqttSource implements EventSource {
  readonly id: string;
  readonly broker = 'mqtt' as const;
  readonly cluster: string;
  readonly target: string;
  readonly servers: readonly string[];
  /** Its client id: random, so it can never take over an application's session. */
  readonly clientId = `flowscope-tap-${randomBytes(6).toString('hex')}`;
  readonly filters: readonly string[];
  private sink?: SourceSink;
  private mqtt?: typeof Mqtt;
  private client?: Client;
  private readonly packets = new Map<string, number>();
  private readonly retained = new RetainedState();
  private pending: RawRecord[] = [];
  private count = 0;
  private stopped = false;
  private failures = 0;
  private everConnected = false;
  /** When the last subscribed connection was lost, until the next one is subscribed. */
  private downSince?: number;
  /** The broker refused MQTT 5 once: 3.1.1 from then on. */
  private fellBack?: ConnectRefused;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly drops: DropWatch;

  constructor(
    private readonly options: MqttSourceOptions,
    private readonly log: Logger,
  ) {
    this.cluster = options.cluster;
    this.id = `mqtt:${options.cluster}`;
    this.servers = [mqttAddress(options.url)];
    this.filters = tapFilters(options.topics, options.sys);
    this.target = `${this.servers[0]} · ${this.filters.join(', ')}`;
    this.drops = new DropWatch(this.servers[0] ?? '', this.filters);
  }

  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    this.mqtt = await import('mqtt');
    if (this.stopped) return;
    sink.state('connecting');
    this.running = this.session();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.close(this.client);
    await this.running;
  }

  /** MQTT packets this source sent, by kind (`connect`, `subscribe`, `puback`, …): never `publish`. */
  packetCounts(): Record<string, number> {
    return Object.fromEntries(this.packets);
  }

  /** The protocol version in use: 3.1.1 when asked for or when the broker refused MQTT 5. */
  get protocol(): MqttVersion {
    return this.options.version === '3.1.1' || this.fellBack ? '3.1.1' : '5';
  }

  private connect(): Client {
    const { connect } = this.mqtt as typeof Mqtt;
    const v5 = this.protocol === '5';
    const client = connect(this.options.url, {
      clientId: this.clientId,
      protocolVersion: v5 ? 5 : 4,
      clean: true,
      // No will, and nothing kept after the connection: session expiry 0 (MQTT 5), clean session (3.1.1).
      ...(v5 ? { properties: { sessionExpiryInterval: 0 } } : {}),
      ...(this.options.username !== undefined ? { username: this.options.username } : {}),
      ...(this.options.password !== undefined ? { password: this.options.password } : {}),
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: 5000,
      keepalive: 30,
    });
    // Read-only by construction: this client cannot publish, and every packet it sends is counted.
    const never = () => {
      throw new Error('Flowscope never publishes to an MQTT broker');
    };
    Object.assign(client, { publish: never, publishAsync: never });
    client.on('packetsend', (p) => this.packets.set(p.cmd, (this.packets.get(p.cmd) ?? 0) + 1));
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet));
    return client;
  }

  /** One connection's life: connect, subscribe, read until it closes or the source stops; then retry. */
  private async session(): Promise<void> {
    let subscribed = false;
    const client = this.connect();
    this.client = client;
    try {
      const { connected, closed } = watch(client);
      await connected;
      const refused = await this.subscribe(client);
      this.watchDrops(client);
      subscribed = true;
      this.everConnected = true;
      this.failures = 0;
      this.resumed();
      this.report('connected', refused.length > 0 ? refusedSubscriptions(refused, this.where) : this.versionNote());
      throw await closed;
    } catch (err) {
      void this.close(client);
      if (this.stopped) return;
      if (subscribed) this.downSince ??= Date.now();
      const refused = err instanceof ConnectRefused ? err : undefined;
      if (refused?.unsupportedVersion && this.protocol === '5') {
        this.fellBack = refused;
        this.log.warn({ where: this.where }, 'the broker refused MQTT 5; reading it with MQTT 3.1.1');
        this.running = this.session();
        return;
      }
      this.retry(err);
    }
  }

  private retry(err: unknown) {
    this.failures += 1;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6));
    const problem = describeMqttError(err, this.where);
    this.report(this.everConnected ? 'reconnecting' : 'disconnected', {
      ...problem,
      hint: `${problem.hint} Retrying in ${Math.max(1, Math.round(delay / 1000))} s; messages published until then are not received (a clean-start session keeps nothing).`,
    });
    this.timer = setTimeout(() => {
      if (!this.stopped) this.running = this.session();
    }, delay);
  }

  /** Subscribes every filter on its own, so a refusal (SUBACK ≥ 0x80) names its filter; returns the refused ones. */
  private async subscribe(client: Client): Promise<{ filter: string; code: number }[]> {
    const v5 = this.protocol === '5';
    // QoS 2: the delivered QoS is min(published, granted), so the publisher's QoS is shown.
    // rap off: only retained messages replayed on subscribe carry the retain flag. nl is moot: no publishes.
    const options: Mqtt.IClientSubscribeOptions = v5 ? { qos: 2, rap: false, rh: 0, nl: false } : { qos: 2 };
    const refused: { filter: string; code: number }[] = [];
    await Promise.all(
      this.filters.map(
        (filter) =>
          new Promise<void>((resolve, reject) => {
            client.subscribe({ [filter]: options }, (err, _granted, packet) => {
              const code = (packet as { granted?: unknown[] } | undefined)?.granted?.[0];
              if (typeof code === 'number' && code >= 0x80) refused.push({ filter, code });
              else if (err) return reject(err);
              resolve();
            });
          }),
      ),
    );
    if (refused.length > 0) this.log.warn({ refused }, 'the broker refused subscriptions');
    return refused;
  }

  /**
   * Also follows the broker's count of dropped publishes (Mosquitto's $SYS), so that messages the
   * broker dropped for a full queue become a visible gap. A broker without it, or one that refuses
   * the subscription, only leaves drops unseen: no problem is shown for it.
   */
  private watchDrops(client: Client) {
    this.drops.reset();
    if (this.options.sys) return; // `$SYS/#` delivers the count already
    client.subscribe({ [DROPPED_TOPIC]: { qos: 0 } }, (err) => {
      if (err) this.log.debug({ err: err.message }, 'no $SYS count of dropped messages on this broker');
    });
  }

  private onMessage(topic: string, payload: Buffer, packet: Mqtt.IPublishPacket) {
    if (this.stopped) return;
    if (topic === DROPPED_TOPIC) {
      const gap = this.drops.reading(payload, Date.now());
      if (gap) this.sink?.gap(gap);
      // An event only when $SYS was asked for (then `$SYS/#` delivers it too, once).
      if (!this.options.sys) return;
    }
    const delivery = packet as Delivery;
    // The same retained state replayed on a new subscribe is not a new message.
    if (!this.retained.isNew(topic, payload, delivery)) return;
    if (this.pending.length === 0) setImmediate(() => this.drain());
    this.count += 1;
    // MQTT has no message id: unique per tap, never the same on a re-read.
    this.pending.push(toRecord(topic, payload, delivery, `${this.clientId}-${this.count}`, Date.now()));
  }

  private drain() {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0 && !this.stopped) void this.sink?.records(batch);
  }

  /** Subscribed again after a lost connection: that window, as a gap. */
  private resumed() {
    const from = this.downSince;
    this.downSince = undefined;
    if (from === undefined) return;
    const until = Date.now();
    this.sink?.gap({
      reason: 'not-running',
      from,
      until,
      detail: `Messages published on ${this.filters.join(', ')} from ${new Date(from).toISOString()} to ${new Date(until).toISOString()} were not received: the connection to the MQTT broker at ${this.where} was down, and a clean-start session keeps nothing. Retained messages that changed meanwhile were read again as state.`,
    });
  }

  /** Said while connected when the broker refused MQTT 5 and 3.1.1 was not asked for. */
  private versionNote(): SourceProblem | undefined {
    if (!this.fellBack || this.options.version === '3.1.1') return undefined;
    return {
      reason: 'misconfigured',
      message: `The MQTT broker at ${this.where} refused MQTT 5 (${reasonText(this.fellBack.code)}); Flowscope reads it with MQTT 3.1.1, which carries no correlation data, response topics, user properties (traceparent, CloudEvents) or content types.`,
      hint: 'Pass --mqtt-version 3.1.1 when this broker is expected to be 3.1.1; with an MQTT 5 broker, request/response pairs and traces are joined.',
    };
  }

  private get where(): string {
    return this.servers[0] ?? '';
  }

  /** Ends a connection with a DISCONNECT (no will exists anyway), or drops it when it is not connected. */
  private async close(client: Client | undefined) {
    if (!client) return;
    if (this.client === client) this.client = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.end(true);
        resolve();
      }, 2000);
      client.end(!client.connected, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private report(state: 'connected' | 'disconnected' | 'reconnecting', problem?: SourceProblem) {
    if (!this.stopped) this.sink?.state(state, problem);
  }
}
