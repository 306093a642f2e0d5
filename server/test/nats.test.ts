import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { Consumer, Flow, FlowSummary } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootLogger } from '../src/log.js';
import { NatsSource } from '../src/sources/nats/natsSource.js';
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
import {
  connected,
  connectionNames,
  consumerNames,
  eventsOn,
  natsApp,
  NATS_URL,
  privateNats,
  unique,
} from './natsBroker.js';

const run = unique();
const prefix = `flowscope-it-${run}`;
const P = `FLOWSCOPE_IT_${run}`;
let app: Awaited<ReturnType<typeof natsApp>>;

beforeAll(async () => {
  app = await natsApp();
});
afterAll(async () => {
  await app.close();
});

const text = (e: { payload: { value: string } }) => e.payload.value;
const tapConnections = async () => (await connectionNames(app.nc)).filter((n) => n.startsWith('flowscope-tap-'));

/** How long a request to a subject nobody serves takes to fail, and how. */
async function request(subject: string, timeout: number) {
  const started = Date.now();
  const error = await app.nc.request(subject, 'ping', { timeout }).then(
    () => 'answered',
    (err: Error) => err.message,
  );
  return { error, ms: Date.now() - started };
}

async function flowOf(server: Parameters<typeof api>[0], key: string): Promise<Flow> {
  const summary = await eventually(async () => {
    const { flows } = (await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${encodeURIComponent(key)}`)).body;
    return flows[0];
  });
  return (await api<Flow>(server, `/api/flows/${encodeURIComponent(summary.id)}`)).body;
}

describe('NATS', () => {
  it('leaves "no responders" intact (unlike a blanket >), and hides KV, JetStream and inbox internals', async () => {
    await app.stream(`${P}_RR`, [`${prefix}.rr.>`]);
    const server = await startFlowscope([
      '--nats',
      NATS_URL,
      '--nats-name',
      `rr-${run}`,
      '--subjects',
      `${prefix}.events.>`,
    ]);
    try {
      await connected(server, `nats:rr-${run}`);
      // Flowscope runs with its subjects and every stream: a request nobody serves fails at once.
      const safe = await request(`${prefix}.inventory.lookup`, 3000);
      expect(safe.error).toMatch(/no responders/i);
      expect(safe.ms).toBeLessThan(1000);
    } finally {
      await server.close();
    }
    // What the default avoids: with > the same request waits for its whole timeout.
    const blanket = await startFlowscope([
      ...['--nats', NATS_URL, '--nats-name', `all-${run}`, '--subjects', '>', '--nats-streams', ''],
    ]);
    try {
      await connected(blanket, `nats:all-${run}`);
      const waited = await request(`${prefix}.inventory.lookup`, 700);
      expect(waited.error).toMatch(/timeout/i);
      // Internals the application caused (a KV put, a JetStream publish and its PubAck) stay hidden.
      const kv = await new Kvm(app.nc).create(`${P}_hidden`, { storage: 'memory' as never });
      await kv.put('user.1', '{"name":"Ada"}');
      await app.js.publish(`${prefix}.rr.created`, '{"rr":1}');
      app.nc.publish(`${prefix}.events.plain`, '{"plain":1}');
      await eventually(async () =>
        (await eventsOn(blanket, `${prefix}.events.plain`)).length === 1 ? true : undefined,
      );
      const channels = new Set((await allEvents(blanket)).map((e) => e.channel));
      expect([...channels].filter((c) => /^(\$JS|\$KV|\$O|_INBOX|\$SYS)[.]/.test(c))).toEqual([]);
      expect(channels).toContain(`${prefix}.rr.created`); // streams off: the publish itself, from core
      await app.jsm.streams.delete(`KV_${P}_hidden`);
    } finally {
      await blanket.close();
    }
  });

  it('reads a work-queue stream by sequence while its consumer still gets each message exactly once, shows consumers, and leaves nothing behind', async () => {
    const jobs = `${P}_JOBS`;
    const orders = `${P}_ORDERS`;
    await app.stream(jobs, [`${prefix}.jobs.>`], { retention: 'workqueue' });
    await app.stream(orders, [`${prefix}.orders.>`]);
    await app.jsm.consumers.add(jobs, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
    await app.jsm.consumers.add(orders, { durable_name: 'billing', ack_policy: AckPolicy.Explicit, ack_wait: 30e9 });
    const before = new Set(await tapConnections());
    const server = await startFlowscope([
      ...['--nats', NATS_URL, '--nats-name', `wq-${run}`, '--nats-streams', `${P}_*`],
      ...['--nats-consumer-refresh', '500ms'],
    ]);
    const id = `nats:wq-${run}`;
    try {
      await connected(server, id);
      expect((await tapConnections()).filter((n) => !before.has(n))).toHaveLength(1); // its one connection
      for (let i = 1; i <= 5; i++) await app.js.publish(`${prefix}.jobs.resize`, `{"job":${i}}`);
      // Flowscope reads them by sequence (no consumer of its own on a work queue)...
      const seen = await eventually(async () => {
        const found = await eventsOn(server, jobs);
        return found.length === 5 ? found : undefined;
      });
      expect(seen.map((e) => [e.offset, e.key, text(e)])).toEqual(
        [1, 2, 3, 4, 5].map((n) => [String(n), { encoding: 'text', value: `${prefix}.jobs.resize` }, `{"job":${n}}`]),
      );
      expect(await consumerNames(app.jsm, jobs)).toEqual(['worker']);
      // ...and the worker still gets each job once.
      const worker = await app.js.consumers.get(jobs, 'worker');
      const got: string[] = [];
      for await (const m of await worker.fetch({ max_messages: 10, expires: 1500 })) {
        got.push(m.string());
        expect(m.redelivered).toBe(false);
        await m.ackAck();
      }
      expect(got).toEqual([1, 2, 3, 4, 5].map((n) => `{"job":${n}}`));
      expect((await app.jsm.streams.info(jobs)).state.messages).toBe(0);

      // A limits stream is read through an ordered consumer of Flowscope's own, never listed as an application's.
      for (let i = 1; i <= 3; i++) await app.js.publish(`${prefix}.orders.created`, `{"orderId":"o-${run}-${i}"}`);
      const billing = await app.js.consumers.get(orders, 'billing');
      const taken = [];
      for await (const m of await billing.fetch({ max_messages: 2, expires: 1000 })) taken.push(m);
      taken[0]?.nak();
      await eventually(async () => ((await eventsOn(server, orders)).length === 3 ? true : undefined));
      expect((await consumerNames(app.jsm, orders)).filter((n) => n.startsWith('flowscope-tap-'))).toHaveLength(1);
      for await (const m of await billing.fetch({ max_messages: 1, expires: 1000 })) expect(m.redelivered).toBe(true);
      const consumer = await eventually(async () => {
        const { consumers } = (await api<{ consumers: Consumer[] }>(server, '/api/consumers')).body;
        const c = consumers.find((x) => x.source === id && x.id === 'billing');
        return c?.channels[0]?.redelivered === 1 ? { all: consumers.filter((x) => x.source === id), c } : undefined;
      });
      expect(consumer.c).toMatchObject({ broker: 'nats', kind: 'durable', service: 'billing' });
      expect(consumer.c.channels).toEqual([
        expect.objectContaining({ channel: orders, lag: 1, unacked: 2, redelivered: 1 }),
      ]);
      expect(consumer.all.map((c) => c.id).sort()).toEqual(['billing', 'worker']);
    } finally {
      await server.close();
    }
    expect(await consumerNames(app.jsm, orders)).toEqual(['billing']);
    expect(await consumerNames(app.jsm, jobs)).toEqual(['worker']);
    expect((await tapConnections()).filter((n) => !before.has(n))).toEqual([]);
  });

  it('joins headers (Nats-Msg-Id duplicates, traceparent, CloudEvents) and shows which consumer acknowledged a message', async () => {
    const pay = `${P}_PAY`;
    // A short duplicate window: JetStream stores a re-publish with the same Nats-Msg-Id after it.
    await app.stream(pay, [`${prefix}.pay.>`], { duplicate_window: 200_000_000 });
    await app.jsm.consumers.add(pay, { durable_name: 'ledger', ack_policy: AckPolicy.Explicit });
    const server = await startFlowscope([
      ...['--nats', NATS_URL, '--nats-name', `h-${run}`, '--nats-streams', pay, '--nats-acks'],
    ]);
    try {
      await connected(server, `nats:h-${run}`);
      const h = natsHeaders();
      h.set('Nats-Msg-Id', `pay-${run}`);
      h.set('traceparent', `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`);
      h.set('ce-type', 'payment.captured');
      h.set('ce-source', 'payments');
      const body = JSON.stringify({ paymentId: `p-${run}` });
      expect(await app.js.publish(`${prefix}.pay.captured`, body, { headers: h })).toMatchObject({ seq: 1 });
      const ledger = await app.js.consumers.get(pay, 'ledger');
      const m = await ledger.next({ expires: 2000 });
      await m?.ackAck();
      await new Promise((r) => setTimeout(r, 400));
      expect(await app.js.publish(`${prefix}.pay.captured`, body, { headers: h })).toMatchObject({ seq: 2 });

      const flow = await eventually(async () => {
        const f = await flowOf(server, `p-${run}`);
        return f.events.length === 3 ? f : undefined;
      });
      const [captured, ack, again] = [...flow.events].sort((a, b) => a.seq - b.seq);
      expect(captured).toMatchObject({
        channel: pay,
        offset: '1',
        type: 'payment.captured',
        producer: 'payments',
        correlation: { messageId: `pay-${run}`, traceId: 'ab'.repeat(16) },
      });
      expect(ack).toMatchObject({
        channel: `$JS.ACK.${pay}.ledger`,
        type: 'jetstream.ack',
        headers: expect.objectContaining({ 'nats.consumer': 'ledger', 'nats.stream-seq': '1', 'nats.delivered': '1' }),
        correlation: expect.objectContaining({ causationId: captured?.id }),
      });
      expect(again).toMatchObject({ offset: '2', correlation: expect.objectContaining({ messageId: `pay-${run}` }) });
      expect(flow.anomalies).toContainEqual(expect.objectContaining({ kind: 'duplicate', eventId: again?.id }));
    } finally {
      await server.close();
    }
  });

  it('shows a KV bucket as state changes when asked, and never as a stream', async () => {
    const bucket = `${P}_cfg`;
    const kv = await new Kvm(app.nc).create(bucket, { storage: 'memory' as never, history: 5 });
    const server = await startFlowscope([
      ...['--nats', NATS_URL, '--nats-name', `kv-${run}`, '--nats-streams', '*', '--nats-kv', bucket],
    ]);
    try {
      await connected(server, `nats:kv-${run}`);
      await kv.put('limits.eu', '{"max":10}');
      await kv.put('limits.eu', '{"max":12}');
      await kv.delete('limits.eu');
      const changes = await eventually(async () => {
        const found = await eventsOn(server, `kv:${bucket}`);
        return found.length === 3 ? found : undefined;
      });
      expect(changes.map((e) => [e.key?.value, e.headers['nats.kv-operation'], e.payload.value])).toEqual([
        ['limits.eu', 'PUT', '{"max":10}'],
        ['limits.eu', 'PUT', '{"max":12}'],
        ['limits.eu', 'DEL', ''],
      ]);
      const channels = new Set((await allEvents(server)).map((e) => e.channel));
      expect([...channels].filter((c) => c.startsWith('KV_') || c.startsWith('$KV'))).toEqual([]);
    } finally {
      await server.close();
      await app.jsm.streams.delete(`KV_${bucket}`);
    }
  });

  it('says when a named stream does not exist, and reads it from its first message once it does', async () => {
    const late = `${P}_LATE`;
    const server = await startFlowscope([
      ...['--nats', NATS_URL, '--nats-name', `late-${run}`, '--nats-streams', late],
    ]);
    const id = `nats:late-${run}`;
    try {
      const status = await connected(server, id);
      expect(status.error).toMatchObject({ reason: 'topic-not-found', hint: expect.stringMatching(/never creates/) });
      await app.stream(late, [`${prefix}.late.>`]);
      await app.js.publish(`${prefix}.late.a`, '{"late":1}');
      await app.js.publish(`${prefix}.late.a`, '{"late":2}');
      const first = await eventually(async () => {
        const found = await eventsOn(server, late);
        return found.length === 2 ? found : undefined;
      });
      expect(first.map(text)).toEqual(['{"late":1}', '{"late":2}']);
      expect((await sourceStatus(server, id))?.error).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('shows reconnecting when the connection is lost, records what the stream dropped meanwhile as a gap, and recovers', async () => {
    const capped = `${P}_CAPPED`;
    await app.stream(capped, [`${prefix}.capped.>`], { max_msgs: 5 });
    const port = await freePort();
    const proxy = tcpForwarder(port, '127.0.0.1:4222');
    await proxy.open();
    const source = new NatsSource(
      {
        cluster: 'loss',
        url: `nats://127.0.0.1:${port}`,
        subjects: [`${prefix}.live.>`],
        streams: [capped],
        from: { kind: 'latest' },
        streamRefreshMs: 500,
      },
      rootLogger,
    );
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      await eventually(() => (rec.states.includes('connected') ? true : undefined));
      for (let i = 1; i <= 2; i++) await app.js.publish(`${prefix}.capped.m`, `{"m":${i}}`);
      await eventually(() => (rec.records.length === 2 ? true : undefined));
      await proxy.close();
      const down = await eventually(() => rec.reports.find((r) => r.state === 'reconnecting'));
      expect(down.problem).toMatchObject({ reason: 'unreachable', hint: expect.stringMatching(/resume/) });
      // Ten more while the tap is away: the stream keeps the last five (8–12), 3–7 are gone.
      for (let i = 3; i <= 12; i++) await app.js.publish(`${prefix}.capped.m`, `{"m":${i}}`);
      app.nc.publish(`${prefix}.live.tick`, '{"lost":true}');
      await proxy.open();
      await eventually(() => (rec.records.length === 7 ? true : undefined), 30_000, 'the messages the stream kept');
      expect(rec.records.map((r) => r.offset)).toEqual(['1', '2', '8', '9', '10', '11', '12']);
      expect(rec.gaps).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ channel: capped, reason: 'trimmed', fromOffset: '3', untilOffset: '7' }),
          expect.objectContaining({ reason: 'not-running', detail: expect.stringMatching(/core NATS keeps nothing/) }),
        ]),
      );
      expect(rec.states.at(-1)).toBe('connected');
      app.nc.publish(`${prefix}.live.tick`, '{"after":true}');
      await eventually(() => (rec.records.some((r) => r.channel === `${prefix}.live.tick`) ? true : undefined));
    } finally {
      await source.stop();
      await proxy.close();
    }
    expect((await consumerNames(app.jsm, capped)).filter((n) => n.startsWith('flowscope-tap-'))).toEqual([]);
  });

  it('comes back from a server restart: reconnecting, a gap for core traffic, the file stream read on without a false gap or a repeat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-nats-'));
    const nats = await privateNats(['-js', '-sd', dir]);
    const stream = `RESTART_${run}`;
    const appConn = async () => {
      const nc = await connect({ servers: nats.url, name: 'flowscope-test-app', reconnect: false });
      return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
    };
    let a = await appConn();
    await a.jsm.streams.add({ name: stream, subjects: ['restart.stream.>'], storage: 'file' as never });
    const source = new NatsSource(
      {
        cluster: 'restart',
        url: nats.url,
        subjects: ['restart.core.>'],
        streams: [stream],
        from: { kind: 'earliest' },
        streamRefreshMs: 500,
      },
      rootLogger,
    );
    const rec = recordingSink();
    await source.start(rec.sink);
    try {
      await eventually(() => (rec.states.includes('connected') ? true : undefined));
      for (let i = 1; i <= 3; i++) await a.js.publish('restart.stream.m', `{"m":${i}}`);
      await eventually(() => (rec.records.length === 3 ? true : undefined));
      await a.nc.close();
      await nats.restart(1500, async () => {
        await eventually(() => rec.reports.find((r) => r.state === 'reconnecting'), 15_000, 'reconnecting');
      });
      // The stream is on disk: it kept 1-3; what comes after the restart follows them.
      a = await appConn();
      for (let i = 4; i <= 5; i++) await a.js.publish('restart.stream.m', `{"m":${i}}`);
      await eventually(() => (rec.records.length === 5 ? true : undefined), 30_000, 'the two new messages');
      expect(rec.records.map((r) => r.offset)).toEqual(['1', '2', '3', '4', '5']);
      expect(rec.gaps.filter((g) => g.reason === 'trimmed')).toEqual([]);
      // Core NATS keeps nothing: the window the server was down is a gap.
      expect(rec.gaps).toEqual([
        expect.objectContaining({ reason: 'not-running', detail: expect.stringMatching(/core NATS keeps nothing/) }),
      ]);
      expect(rec.states.at(-1)).toBe('connected');
      a.nc.publish('restart.core.tick', '{"after":true}');
      await eventually(() => (rec.records.some((r) => r.channel === 'restart.core.tick') ? true : undefined));
    } finally {
      await source.stop();
      await a.nc.close().catch(() => undefined);
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names refused credentials without showing them anywhere', async () => {
    const password = `right-${unique()}`;
    const wrong = `s3cret-${unique()}`;
    const nats = await privateNats(['--user', 'flowscope', '--pass', password]);
    const server = await startFlowscope([
      ...['--nats', `nats://flowscope:${wrong}@127.0.0.1:${nats.port}`, '--nats-name', `auth-${run}`],
      ...['--nats-streams', ''],
    ]);
    try {
      const status = await eventually(async () => {
        const s = await sourceStatus(server, `nats:auth-${run}`);
        return s?.state === 'disconnected' ? s : undefined;
      });
      expect(status.error?.reason).toBe('auth-failed');
      expect(status.target).toBe(`127.0.0.1:${nats.port} · nothing`);
      const everything = JSON.stringify([
        (await api(server, '/api/health')).body,
        (await api(server, '/api/export/asyncapi')).body,
      ]);
      expect(everything).not.toContain(wrong);
    } finally {
      await server.close();
    }
    const right = await startFlowscope([
      ...['--nats', `nats://127.0.0.1:${nats.port}`, '--nats-user', 'flowscope', '--nats-password', password],
      ...['--nats-name', `ok-${run}`, '--subjects', 'orders.>', '--nats-streams', ''],
    ]);
    try {
      await connected(right, `nats:ok-${run}`);
    } finally {
      await right.close();
      await nats.stop();
    }
  });
});
