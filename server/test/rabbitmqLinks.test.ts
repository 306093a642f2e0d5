import { randomBytes } from 'node:crypto';
import type { Topology, TopologyEdge } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, liveClient, startFlowscope, type LiveClient } from './helpers.js';

/**
 * The machine's RabbitMQ (guest/guest). The applications' side is declared through the
 * management API, so this test needs no AMQP client of its own.
 */
const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const MANAGEMENT = 'http://127.0.0.1:15672/api';
const AUTH = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

async function management(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown) {
  const res = await fetch(`${MANAGEMENT}/${path}`, {
    method,
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // Cleanup tolerates what is already gone.
  if (!res.ok && !(method === 'DELETE' && res.status === 404))
    throw new Error(`management API ${method} ${path}: ${res.status} ${await res.text()}`);
  return method === 'GET' ? ((await res.json()) as unknown) : undefined;
}

const run = `flowscope-test-links-${randomBytes(3).toString('hex')}`;
const name = (what: string) => `${run}-${what}`;
const q = (n: string) => encodeURIComponent(n);
const created = { exchanges: [] as string[], queues: [] as string[], policies: [] as string[] };

async function exchange(what: string, type: string) {
  const n = name(what);
  await management('PUT', `exchanges/%2F/${q(n)}`, { type, durable: false, auto_delete: false, arguments: {} });
  created.exchanges.push(n);
  return n;
}

async function queue(what: string, args: Record<string, unknown> = {}) {
  const n = name(what);
  await management('PUT', `queues/%2F/${q(n)}`, { durable: false, auto_delete: false, arguments: args });
  created.queues.push(n);
  return n;
}

const bind = (source: string, to: 'q' | 'e', destination: string, routing_key: string) =>
  management('POST', `bindings/%2F/e/${q(source)}/${to}/${q(destination)}`, { routing_key, arguments: {} });

const names = { orders: '', dlx: '', audit: '', billing: '', shipping: '', parking: '', auditLog: '' };

beforeAll(async () => {
  names.orders = await exchange('orders', 'topic');
  names.dlx = await exchange('orders.dlx', 'topic');
  names.audit = await exchange('audit', 'fanout');
  // Dead letters by argument, and (shipping) by a policy an operator sets.
  names.billing = await queue('billing', { 'x-dead-letter-exchange': names.dlx });
  names.shipping = await queue('shipping');
  names.parking = await queue('parking');
  names.auditLog = await queue('audit-log');
  await bind(names.orders, 'q', names.billing, 'order.*');
  await bind(names.orders, 'q', names.shipping, 'order.paid');
  await bind(names.orders, 'e', names.audit, '#');
  await bind(names.audit, 'q', names.auditLog, '');
  await bind(names.dlx, 'q', names.parking, '#');
  const policy = name('dlx');
  await management('PUT', `policies/%2F/${q(policy)}`, {
    pattern: `^${names.shipping.replace(/[.]/g, '\\.')}$`,
    definition: { 'dead-letter-exchange': names.dlx, 'dead-letter-routing-key': 'shipping.failed' },
    'apply-to': 'queues',
    priority: 0,
  });
  created.policies.push(policy);
});

afterAll(async () => {
  for (const p of created.policies) await management('DELETE', `policies/%2F/${q(p)}`);
  for (const n of created.queues) await management('DELETE', `queues/%2F/${q(n)}`);
  for (const n of created.exchanges) await management('DELETE', `exchanges/%2F/${q(n)}`);
});

const channel = (n: string) => `channel:rabbitmq/links/${n}`;
const routes = (t: Topology) => t.edges.filter((e) => e.kind === 'routes');
const routeOf = (t: Topology, from: string, to: string): TopologyEdge | undefined =>
  routes(t).find((e) => e.source === channel(from) && e.target === channel(to));

/** Every route the test declared, once the consumer reader has read them all. */
const complete = (t: Topology) => (routes(t).length >= 7 && routeOf(t, names.shipping, names.dlx) ? t : undefined);

describe('RabbitMQ bindings and dead-letter routes on the map', () => {
  it("draws exchanges and queues joined by their bindings and dead-letter routes, never Flowscope's tap queue", async () => {
    const server = await startFlowscope([
      '--rabbitmq',
      AMQP_URL,
      '--exchanges',
      names.orders,
      '--rabbitmq-name',
      'links',
    ]);
    let client: LiveClient | undefined;
    try {
      const topology = await eventually(
        async () => complete((await api<Topology>(server, '/api/topology')).body),
        40_000,
        'the bindings and dead-letter routes on /api/topology',
      );
      const route = (from: string, to: string) => {
        const e = routeOf(topology, from, to);
        return e && { evidence: e.evidence, labels: e.labels, confidence: e.confidence };
      };
      const binding = (...labels: string[]) => ({ evidence: ['binding'], labels, confidence: 1 });
      const deadLetter = (...labels: string[]) => ({ evidence: ['dead-letter'], labels, confidence: 1 });
      expect(route(names.orders, names.billing)).toEqual(binding('order.*'));
      expect(route(names.orders, names.shipping)).toEqual(binding('order.paid'));
      expect(route(names.orders, names.audit)).toEqual(binding('#'));
      expect(route(names.audit, names.auditLog)).toEqual(binding(''));
      expect(route(names.dlx, names.parking)).toEqual(binding('#'));
      expect(route(names.billing, names.dlx)).toEqual(deadLetter(''));
      expect(route(names.shipping, names.dlx)).toEqual(deadLetter('shipping.failed'));
      expect(routes(topology)).toHaveLength(7);
      // No event went through: the channels are there because the broker routes between them.
      expect(topology.nodes.find((n) => n.id === channel(names.parking))).toMatchObject({
        kind: 'channel',
        eventCount: 0,
      });
      // The queue joins its consumer: exchange → queue → queue's consumers.
      expect(topology.edges.map((e) => e.id)).toContain(`consumes:${channel(names.billing)}->service:${names.billing}`);

      // Flowscope's own queue is bound to the exchange on the broker, and nowhere on the map.
      const bindings = (await management('GET', `exchanges/%2F/${q(names.orders)}/bindings/source`)) as {
        destination: string;
      }[];
      const tap = bindings.map((b) => b.destination).filter((d) => !d.startsWith(run));
      expect(tap.length).toBeGreaterThan(0);
      for (const t of tap) expect(topology.nodes.map((n) => n.name)).not.toContain(t);

      // The live map carries the same routes.
      client = liveClient(server);
      const live = new Promise<Topology>((resolve) => client?.on('topology', (t) => complete(t) && resolve(t)));
      client.emit('subscribe', {}, () => undefined);
      expect(routes(await live).map((e) => e.id)).toEqual(routes(topology).map((e) => e.id));
    } finally {
      client?.close();
      await server.close();
    }
  });
});
