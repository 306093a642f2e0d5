import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { createClient } from 'redis';
import type { FlowEvent, FlowSummary } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confluentFramed, serveRegistry } from '../src/ingest/decoding/registry.testkit.js';
import { allEvents, api, eventually, startFlowscope } from './helpers.js';

const URL = 'redis://127.0.0.1:6379';
const run = randomBytes(3).toString('hex');
const prefix = `flowscope-schemas-${run}`;
const redis = createClient({ url: URL });

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
  await redis.connect();
  registry = await serveRegistry({ 21: { schema: JSON.stringify(paymentSchema) } });
});
afterAll(async () => {
  const keys: string[] = [];
  for await (const page of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) keys.push(...page);
  if (keys.length > 0) await redis.del(keys);
  redis.destroy();
  await registry.close();
});

const stored = async (server: Parameters<typeof allEvents>[0], n: number) =>
  eventually(
    async () => {
      const all = await allEvents(server);
      return all.length >= n ? all : undefined;
    },
    20_000,
    `${n} events`,
  );

describe('schema-encoded Redis stream entries', () => {
  it('decodes Avro bytes in the payload field with the registry and a Protobuf stream mapped in the config, and joins them by order id', async () => {
    const payments = `${prefix}:payments`;
    const shipments = `${prefix}:shipments`;
    const orderId = `RS-${run}`;
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-redis-schemas-'));
    writeFileSync(join(dir, 'shipping.proto'), proto);
    const config = join(dir, 'flowscope.yaml');
    writeFileSync(
      config,
      [
        'redis:',
        `  - { cluster: schemas-${run}, url: '${URL}', streams: ['${prefix}:*'], from: earliest }`,
        'schemas:',
        `  registry: { url: '${registry.url}' }`,
        '  files:',
        `    - { channel: '${shipments}', source: 'redis:schemas-${run}', file: shipping.proto, message: shop.shipping.ShipmentCreated }`,
        '',
      ].join('\n'),
    );
    const Shipment = protobuf.parse(proto).root.lookupType('shop.shipping.ShipmentCreated');
    // Binary field values go to Redis as they are: the entries hold the encoded bytes.
    await redis.xAdd(payments, '*', {
      payload: confluentFramed(21, avroType.toBuffer({ paymentId: 'P-1', orderId, amountMinor: 1999 })),
      'event-type': 'payment.captured',
    });
    await redis.xAdd(shipments, '*', {
      data: Buffer.from(Shipment.encode({ shipmentId: 'S-1', orderId, weightGrams: 1200 }).finish()),
    });

    const server = await startFlowscope(['--config', config]);
    try {
      const events = await stored(server, 2);
      const payment = events.find((e) => e.channel === payments) as FlowEvent;
      expect(payment.payload).toMatchObject({
        encoding: 'json',
        schema: { format: 'avro', id: 21, origin: 'registry' },
      });
      expect(JSON.parse(payment.payload.value)).toEqual({ paymentId: 'P-1', orderId, amountMinor: 1999 });
      // The other fields of the entry stay headers beside the decoded payload.
      expect(payment.headers['event-type']).toBe('payment.captured');

      const shipment = events.find((e) => e.channel === shipments) as FlowEvent;
      expect(shipment.payload).toMatchObject({ encoding: 'json', schema: { format: 'protobuf', origin: 'file' } });
      expect(JSON.parse(shipment.payload.value)).toMatchObject({ shipment_id: 'S-1', order_id: orderId });

      // Decoded fields are what correlation reads: both entries are one order's flow.
      const { body } = await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${orderId}`);
      expect(body.flows).toHaveLength(1);
      expect(body.flows[0]?.eventCount).toBe(2);
    } finally {
      await server.close();
    }
  });
});
