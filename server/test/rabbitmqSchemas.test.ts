import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import protobuf from 'protobufjs';
import type { FlowEvent, FlowSummary } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confluentFramed, serveRegistry } from '../src/ingest/decoding/registry.testkit.js';
import { allEvents, api, eventually, sourceStatus, startFlowscope } from './helpers.js';
import { AMQP_URL, testConnection, unique } from './rabbitmqBroker.js';

const rabbit = testConnection();
const created = { exchanges: [] as string[], queues: [] as string[] };

const paymentSchema = {
  type: 'record',
  name: 'PaymentCaptured',
  namespace: 'shop.payments',
  fields: [
    { name: 'paymentId', type: 'string' },
    { name: 'orderId', type: 'string' },
    { name: 'amountMinor', type: 'long' },
  ],
};
const avroType = avro.Type.forSchema(paymentSchema as avro.Schema);
const proto = `syntax = "proto3";
package shop.shipping;
message ShipmentCreated { string shipment_id = 1; string order_id = 2; int64 weight_grams = 3; }
`;

let registry: Awaited<ReturnType<typeof serveRegistry>>;
beforeAll(async () => {
  registry = await serveRegistry({ 31: { schema: JSON.stringify(paymentSchema) } });
});
afterAll(async () => {
  const ch = await rabbit.channel();
  for (const queue of created.queues) await ch.deleteQueue(queue);
  for (const exchange of created.exchanges) await ch.deleteExchange(exchange);
  await rabbit.close();
  await registry.close();
});

/** An application's topic exchange and its queue bound with `#`: the binding the tap mirrors. */
async function exchangeWithApp(what: string) {
  const ch = await rabbit.channel();
  const exchange = unique(what);
  const queue = unique(`${what}-app`);
  await ch.assertExchange(exchange, 'topic', { durable: false });
  await ch.assertQueue(queue, { durable: false });
  await ch.bindQueue(queue, exchange, '#');
  created.exchanges.push(exchange);
  created.queues.push(queue);
  return exchange;
}

describe('schema-encoded RabbitMQ messages', () => {
  it('decodes Avro (registry) and Protobuf (file) bodies through the ingest stage and joins them by order id', async () => {
    const payments = await exchangeWithApp('payments');
    const shipments = await exchangeWithApp('shipments');
    const cluster = unique('mq');
    const orderId = `MQ-${cluster.slice(-6)}`;
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-rabbit-schemas-'));
    writeFileSync(join(dir, 'shipping.proto'), proto);
    const config = join(dir, 'flowscope.yaml');
    writeFileSync(
      config,
      [
        'rabbitmq:',
        `  - { cluster: ${cluster}, url: '${AMQP_URL}', exchanges: [${payments}, ${shipments}] }`,
        'schemas:',
        `  registry: { url: '${registry.url}' }`,
        '  files:',
        `    - { channel: ${shipments}, source: 'rabbitmq:${cluster}', file: shipping.proto, message: shop.shipping.ShipmentCreated }`,
        '',
      ].join('\n'),
    );
    const server = await startFlowscope(['--config', config]);
    try {
      // AMQP keeps no history for a tap: publish once the tap is bound (connected after its first plan).
      await eventually(
        async () => ((await sourceStatus(server, `rabbitmq:${cluster}`))?.state === 'connected' ? true : undefined),
        20_000,
        'the tap connected',
      );
      const Shipment = protobuf.parse(proto).root.lookupType('shop.shipping.ShipmentCreated');
      await rabbit.publish(
        payments,
        'payment.captured',
        confluentFramed(31, avroType.toBuffer({ paymentId: 'P-1', orderId, amountMinor: 4200 })),
        { contentType: 'application/vnd.apache.avro+binary', type: 'payment.captured' },
      );
      await rabbit.publish(
        shipments,
        'shipment.created',
        Buffer.from(Shipment.encode({ shipmentId: 'S-1', orderId, weightGrams: 900 }).finish()),
        { contentType: 'application/x-protobuf' },
      );
      const events = await eventually(async () => {
        const all = await allEvents(server);
        return all.length >= 2 ? all : undefined;
      });
      const payment = events.find((e) => e.channel === payments) as FlowEvent;
      expect(payment.payload).toMatchObject({
        encoding: 'json',
        schema: { format: 'avro', id: 31, origin: 'registry' },
      });
      expect(JSON.parse(payment.payload.value)).toEqual({ paymentId: 'P-1', orderId, amountMinor: 4200 });
      expect(payment.type).toBe('payment.captured');

      const shipment = events.find((e) => e.channel === shipments) as FlowEvent;
      expect(shipment.payload).toMatchObject({ encoding: 'json', schema: { format: 'protobuf', origin: 'file' } });
      expect(JSON.parse(shipment.payload.value)).toMatchObject({ shipment_id: 'S-1', order_id: orderId });

      const { body } = await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${orderId}`);
      expect(body.flows).toHaveLength(1);
      expect(body.flows[0]?.eventCount).toBe(2);
    } finally {
      await server.close();
    }
  });
});
