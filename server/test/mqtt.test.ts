import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { Flow, FlowSummary, Gap } from '@flowscope/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { MqttSource, type MqttSourceOptions } from '../src/sources/mqtt/mqttSource.js';
import type { RawRecord } from '../src/sources/contract.js';
import {
  allEvents,
  api,
  eventually,
  freePort,
  recordingSink,
  sourceStatus,
  startFlowscope,
  tcpForwarder,
} from './helpers.js';
import { appClient, MQTT_URL, mqtt311Only, privateBroker, sessionPresent, unique } from './mqttBroker.js';

const run = randomBytes(3).toString('hex');
/** Where `mqtt` resolves for a child process. */
const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const traceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
const TRACEPARENT = traceparent();
/** Retained topics the tests set, cleared at the end (an empty retained publish deletes the state). */
const retainedTopics: string[] = [];
const publisher = await appClient(`flowscope-it-publisher-${run}`);

afterAll(async () => {
  for (const topic of retainedTopics) await publisher.publishAsync(topic, '', { retain: true, qos: 1 });
  await publisher.endAsync();
});

async function retain(topic: string, payload: string, options: Parameters<MqttClient['publishAsync']>[2] = {}) {
  retainedTopics.push(topic);
  await publisher.publishAsync(topic, payload, { qos: 1, ...options, retain: true });
}

const tap = (options: Partial<MqttSourceOptions> & { topics: string[] }) =>
  new MqttSource({ cluster: `it-${run}`, url: MQTT_URL, ...options }, rootLogger);

async function started(source: MqttSource) {
  const rec = recordingSink();
  await source.start(rec.sink);
  await eventually(() => (rec.states.includes('connected') ? true : undefined), 20_000, 'connected');
  return rec;
}

const on = (records: readonly RawRecord[], channel: string) => records.filter((r) => r.channel === channel);
const text = (r: RawRecord) => (r.value === null ? '' : Buffer.from(r.value).toString());

const eventsOn = async (server: Parameters<typeof allEvents>[0], channel: string) =>
  (await allEvents(server)).filter((e) => e.channel === channel).sort((a, b) => a.seq - b.seq);

async function connected(server: Parameters<typeof sourceStatus>[0], id: string) {
  return eventually(async () => {
    const status = await sourceStatus(server, id);
    return status?.state === 'connected' ? status : undefined;
  }, 20_000);
}

describe('MQTT', () => {
  it('joins a request and its response by MQTT 5 correlation data into one flow, with trace context, CloudEvents and QoS as headers', async () => {
    const prefix = unique('rr');
    const server = await startFlowscope([
      ...['--mqtt', MQTT_URL, '--mqtt-topics', `${prefix}/#`, '--mqtt-name', `rr-${run}`],
    ]);
    const responder = await appClient(`pricing-service-${run}`);
    try {
      await connected(server, `mqtt:rr-${run}`);
      // A service answering requests on the response topic, with the request's correlation data.
      responder.on('message', (_topic, _payload, packet) => {
        const { responseTopic, correlationData } = packet.properties ?? {};
        if (!responseTopic) return;
        void responder.publishAsync(responseTopic, '{"price":12}', {
          qos: 1,
          properties: {
            ...(correlationData ? { correlationData } : {}),
            contentType: 'application/json',
            userProperties: {
              specversion: '1.0',
              id: `q-${randomBytes(3).toString('hex')}`,
              source: 'pricing',
              type: 'price.quoted',
            },
          },
        });
      });
      await responder.subscribeAsync(`${prefix}/price/request`, { qos: 2 });
      const traces = new Map<string, string>();
      const request = (key: string, correlationData: Buffer) => {
        traces.set(key, traceparent());
        return publisher.publishAsync(`${prefix}/price/request`, '{"sku":"A-1"}', {
          qos: 2,
          properties: {
            responseTopic: `${prefix}/replies/checkout`,
            correlationData,
            contentType: 'application/json',
            userProperties: { traceparent: traces.get(key) ?? '' },
          },
        });
      };
      // One pair with text correlation data, one with bytes that are not text (shown as hex).
      await request(`quote-${run}`, Buffer.from(`quote-${run}`));
      const binary = Buffer.concat([Buffer.from([0x00, 0xff]), randomBytes(6)]);
      await request(binary.toString('hex'), binary);

      for (const key of [`quote-${run}`, binary.toString('hex')]) {
        const summary = await eventually(async () => {
          const { body } = await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${key}`);
          return body.flows.find((f) => f.eventCount === 2);
        }, 15_000);
        expect(summary.anomalyCount).toBe(0);
        const { body: flow } = await api<Flow>(server, `/api/flows/${encodeURIComponent(summary.id)}`);
        const asked = flow.events.find((e) => e.channel.endsWith('/price/request'));
        const answered = flow.events.find((e) => e.channel.endsWith('/replies/checkout'));
        expect(asked).toMatchObject({
          channel: `${prefix}/price/request`,
          headers: {
            'mqtt.qos': '2',
            'correlation-id': key,
            'reply-to': `${prefix}/replies/checkout`,
            'content-type': 'application/json',
            traceparent: traces.get(key),
          },
          correlation: { traceId: traces.get(key)?.split('-')[1] },
        });
        expect(asked?.headers['mqtt.retained']).toBeUndefined();
        expect(answered).toMatchObject({
          channel: `${prefix}/replies/checkout`,
          headers: { 'mqtt.qos': '1', 'correlation-id': key, ce_source: 'pricing', ce_type: 'price.quoted' },
          type: 'price.quoted',
          producer: 'pricing',
        });
        expect(answered?.correlation.keys).toContainEqual({ name: 'correlationId', value: key });
      }
    } finally {
      await responder.endAsync();
      await server.close();
    }
  });

  it('shows retained messages as current state (marked retained), with the QoS they were published with; live messages unmarked', async () => {
    const prefix = unique('retained');
    await retain(`${prefix}/door/1`, 'open', { qos: 1 });
    await retain(`${prefix}/door/2`, 'closed', { qos: 0 });
    const source = tap({ topics: [`${prefix}/#`] });
    const rec = await started(source);
    try {
      await eventually(() => (rec.records.length >= 2 ? true : undefined));
      expect(on(rec.records, `${prefix}/door/1`).map((r) => [text(r), r.headers])).toEqual([
        ['open', { 'mqtt.qos': '1', 'mqtt.retained': 'true' }],
      ]);
      expect(on(rec.records, `${prefix}/door/2`).map((r) => [text(r), r.headers])).toEqual([
        ['closed', { 'mqtt.qos': '0', 'mqtt.retained': 'true' }],
      ]);
      // Published now, retained or not: a new message, not state replayed on subscribe.
      await retain(`${prefix}/door/1`, 'closed', { qos: 2 });
      await publisher.publishAsync(`${prefix}/door/3`, 'ajar', { qos: 0 });
      await eventually(() => (rec.records.length >= 4 ? true : undefined));
      expect(rec.records.slice(2).map((r) => [r.channel, text(r), r.headers])).toEqual(
        expect.arrayContaining([
          [`${prefix}/door/1`, 'closed', { 'mqtt.qos': '2' }],
          [`${prefix}/door/3`, 'ajar', { 'mqtt.qos': '0' }],
        ]),
      );
    } finally {
      await source.stop();
    }
  });

  it('shows reconnecting with a reason when the connection is lost, records the window as a gap, counts unchanged retained state once, and recovers', async () => {
    const prefix = unique('loss');
    // A message id on the retained state: shown twice, it would be a duplicate anomaly in its flow.
    await retain(`${prefix}/lamp`, '{"on":true}', { properties: { userProperties: { 'message-id': `lamp-${run}` } } });
    await retain(`${prefix}/valve`, 'open');
    const port = await freePort();
    const proxy = tcpForwarder(port, '127.0.0.1:1883');
    await proxy.open();
    const id = `mqtt:loss-${run}`;
    const server = await startFlowscope([
      ...['--mqtt', `mqtt://127.0.0.1:${port}`, '--mqtt-topics', `${prefix}/#`, '--mqtt-name', `loss-${run}`],
    ]);
    try {
      await connected(server, id);
      await eventually(async () => ((await eventsOn(server, `${prefix}/valve`)).length === 1 ? true : undefined));
      await publisher.publishAsync(`${prefix}/live`, '1', { qos: 1 });
      await eventually(async () => ((await eventsOn(server, `${prefix}/live`)).length === 1 ? true : undefined));

      await proxy.close();
      const down = await eventually(async () => {
        const status = await sourceStatus(server, id);
        return status?.state === 'reconnecting' ? status : undefined;
      });
      expect(down.error).toMatchObject({ reason: 'unreachable', hint: expect.stringMatching(/keeps nothing/) });
      await publisher.publishAsync(`${prefix}/live`, '2 (while Flowscope was away)', { qos: 1 });
      await retain(`${prefix}/valve`, 'closed');
      await proxy.open();
      await connected(server, id);

      const gap = await eventually(async () =>
        (await api<{ gaps: Gap[] }>(server, '/api/gaps')).body.gaps.find((g) => g.source === id),
      );
      expect(gap).toMatchObject({
        reason: 'not-running',
        detail: expect.stringMatching(/clean-start session keeps nothing/),
      });
      expect(gap.from).toBeLessThan(gap.until ?? 0);
      await publisher.publishAsync(`${prefix}/live`, '3', { qos: 1 });
      const live = await eventually(async () => {
        const found = (await eventsOn(server, `${prefix}/live`)).map((e) => e.payload.value);
        return found.includes('3') ? found : undefined;
      });
      expect(live).toEqual(['1', '3']);
      // The lamp did not change: its state is shown once. The valve changed while away: shown again, as state.
      const lamp = await eventsOn(server, `${prefix}/lamp`);
      expect(lamp.map((e) => e.headers['mqtt.retained'])).toEqual(['true']);
      const valve = await eventsOn(server, `${prefix}/valve`);
      expect(valve.map((e) => [e.payload.value, e.headers['mqtt.retained']])).toEqual([
        ['open', 'true'],
        ['closed', 'true'],
      ]);
      const { body } = await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${lamp[0]?.id ?? ''}`);
      expect(body.flows.map((f) => [f.eventCount, f.anomalyCount])).toEqual([[1, 0]]);
    } finally {
      await server.close();
      await proxy.close();
    }
  });

  it("never takes over an application's session: an application with a fixed client id keeps its connection while taps come and go", async () => {
    const prefix = unique('takeover');
    const appId = `billing-app-${run}`;
    const app = await appClient(appId, MQTT_URL, { clean: false, properties: { sessionExpiryInterval: 60 } });
    const got: string[] = [];
    const dropped: number[] = [];
    app.on('message', (_t, payload) => got.push(payload.toString()));
    app.on('disconnect', (packet) => dropped.push(packet.reasonCode ?? 0));
    app.on('close', () => dropped.push(-1));
    await app.subscribeAsync(`${prefix}/#`, { qos: 1 });
    const taps = [tap({ topics: [`${prefix}/#`] }), tap({ topics: ['#'] })];
    try {
      const recs = await Promise.all(taps.map(started));
      const ids = taps.map((t) => t.clientId);
      expect(new Set([...ids, appId]).size).toBe(3);
      for (const id of ids) expect(id).toMatch(/^flowscope-tap-[\da-f]{12}$/);
      for (const n of [1, 2, 3]) await publisher.publishAsync(`${prefix}/invoice`, `{"n":${n}}`, { qos: 1 });
      for (const rec of recs)
        await eventually(() => (on(rec.records, `${prefix}/invoice`).length === 3 ? true : undefined));
      await Promise.all(taps.map((t) => t.stop()));
      for (const id of ids) expect(await sessionPresent(id)).toBe(false);
      for (const t of taps) expect(t.packetCounts().publish).toBeUndefined();
      await eventually(() => (got.length === 3 ? true : undefined));
      expect(got).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
      expect(dropped).toEqual([]);
      expect(app.connected).toBe(true);

      // What the taps avoided: a second connection with the application's id takes its session over
      // (Mosquitto 2.0 closes the first connection without a DISCONNECT).
      const intruder = await appClient(appId, MQTT_URL, { clean: false });
      await eventually(() => (dropped.length > 0 ? true : undefined));
      expect(app.connected).toBe(false);
      await intruder.endAsync();
    } finally {
      await Promise.all(taps.map((t) => t.stop()));
      await app.endAsync(true);
    }
  });

  it('reads broker statistics ($SYS) only when asked: # does not match them', async () => {
    const prefix = unique('sys');
    const plain = tap({ topics: ['#'] });
    const sys = tap({ topics: [`${prefix}/#`], sys: true });
    expect(sys.target).toBe(`127.0.0.1:1883 · ${prefix}/#, $SYS/#`);
    const [plainRec, sysRec] = await Promise.all([started(plain), started(sys)]);
    try {
      const stats = await eventually(() => sysRec.records.find((r) => r.channel === '$SYS/broker/version'));
      expect(stats.headers['mqtt.retained']).toBe('true');
      expect(text(stats)).toMatch(/^mosquitto version/);
      await new Promise((r) => setTimeout(r, 1500));
      expect(plainRec.records.filter((r) => r.channel.startsWith('$SYS/'))).toEqual([]);
    } finally {
      await Promise.all([plain.stop(), sys.stop()]);
    }
  });

  it('records a gap when the broker drops messages for a full subscriber queue (MQTT itself says nothing)', async () => {
    // A broker of its own with tiny queues and a $SYS reading every second.
    const broker = await privateBroker('unused', {
      security: false,
      extra: ['max_inflight_messages 1', 'max_queued_messages 5', 'sys_interval 1'],
    });
    const source = new MqttSource({ cluster: 'drops', url: broker.url, topics: ['flood/#'] }, rootLogger);
    const rec = await started(source);
    try {
      // The tap cannot read while this process is blocked: 300 QoS 1 publishes from another
      // process meet a queue of 5, and the broker drops the rest.
      const script = `import mqtt from 'mqtt';
        const c = await mqtt.connectAsync(${JSON.stringify(broker.url)}, { protocolVersion: 5 });
        for (let i = 0; i < 300; i++) await c.publishAsync('flood/x', JSON.stringify({ i }), { qos: 1 });
        await c.endAsync();`;
      const pub = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: serverDir });
      expect(pub.status, pub.stderr.toString()).toBe(0);
      const gap = await eventually(() => rec.gaps.find((g) => g.reason === 'slow-client'), 15_000, 'a gap');
      const got = on(rec.records, 'flood/x').length;
      expect(got).toBeLessThan(300);
      const dropped = Number(/dropped ([\d,]+) message/.exec(gap.detail)?.[1]?.replaceAll(',', ''));
      // Every message is either read or counted in a gap: nothing is lost without a trace.
      expect(got + dropped).toBeGreaterThanOrEqual(300);
      expect(gap.detail).toMatch(/max_queued_messages/);
      // The count itself is not an event: $SYS was not asked for.
      expect(rec.records.filter((r) => r.channel.startsWith('$SYS/'))).toEqual([]);
    } finally {
      await source.stop();
      await broker.stop();
    }
  });

  it('names a subscription the broker refuses (ACL) with its filter and reason, reads what it allows, and keeps credentials out of sight', async () => {
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const broker = await privateBroker(password);
    const source = new MqttSource({ cluster: 'acl', url: broker.url, topics: ['#', 'allowed/#'] }, rootLogger);
    const rec = await started(source);
    try {
      const refused = rec.reports.find((r) => r.state === 'connected')?.problem;
      expect(refused).toMatchObject({ reason: 'misconfigured', hint: expect.stringMatching(/ACL/) });
      expect(refused?.message).toContain('refused the subscription to "#" (not authorized (0x87))');
      const other = await appClient(`acl-publisher-${run}`, broker.url);
      await other.publishAsync('allowed/temperature', '21.5', { qos: 1 });
      await eventually(() => (on(rec.records, 'allowed/temperature').length === 1 ? true : undefined));
      await other.endAsync();
      await source.stop();
      // Its client sent DISCONNECT (not just a dropped socket), and no session is left.
      await eventually(() => (broker.log().includes(`Client ${source.clientId} disconnected.`) ? true : undefined));
      expect(await sessionPresent(source.clientId, broker.url)).toBe(false);

      const port = broker.url.split(':').at(-1) ?? '';
      const wrong = await startFlowscope([
        '--mqtt',
        `mqtt://flowscope:wrong-${password}@127.0.0.1:${port}`,
        '--mqtt-name',
        'auth',
      ]);
      try {
        const status = await eventually(async () => {
          const s = await sourceStatus(wrong, 'mqtt:auth');
          return s?.state === 'disconnected' ? s : undefined;
        });
        expect(status.error?.reason).toBe('auth-failed');
        expect(status.target).toBe(`127.0.0.1:${port} · #`);
        expect(JSON.stringify((await api(wrong, '/api/health')).body)).not.toContain(password);
      } finally {
        await wrong.close();
      }
      const right = new MqttSource(
        { cluster: 'auth', url: broker.url, username: 'flowscope', password, topics: ['#'] },
        rootLogger,
      );
      const ok = await started(right);
      expect(ok.reports.find((r) => r.state === 'connected')?.problem).toBeUndefined();
      await right.stop();
    } finally {
      await source.stop();
      await broker.stop();
    }
  });

  it('reads an MQTT 3.1.1 broker with fewer fields: when asked, or after the broker refused MQTT 5', async () => {
    const prefix = unique('v311');
    const front = await mqtt311Only('127.0.0.1:1883');
    const fallback = tap({ url: front.url, topics: [`${prefix}/#`] });
    const asked = tap({ topics: [`${prefix}/#`], version: '3.1.1' });
    try {
      const [fellBack, v311] = await Promise.all([started(fallback), started(asked)]);
      expect(front.refusedV5()).toBe(1);
      expect(fallback.protocol).toBe('3.1.1');
      expect(fellBack.reports.find((r) => r.state === 'connected')?.problem).toMatchObject({
        message: expect.stringMatching(/refused MQTT 5 .*reads it with MQTT 3\.1\.1/),
        hint: expect.stringMatching(/--mqtt-version 3\.1\.1/),
      });
      expect(v311.reports.find((r) => r.state === 'connected')?.problem).toBeUndefined();
      await publisher.publishAsync(`${prefix}/order`, '{"id":1}', {
        qos: 1,
        properties: { correlationData: Buffer.from('c-1'), userProperties: { traceparent: TRACEPARENT } },
      });
      for (const rec of [fellBack, v311]) {
        const [record] = await eventually(() => {
          const found = on(rec.records, `${prefix}/order`);
          return found.length > 0 ? found : undefined;
        });
        expect(record?.headers).toEqual({ 'mqtt.qos': '1' });
      }
    } finally {
      await Promise.all([fallback.stop(), asked.stop()]);
      await front.close();
    }
  });
});
