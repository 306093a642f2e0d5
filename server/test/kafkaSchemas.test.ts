import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
import type { FlowEvent, FlowSummary } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { confluentFramed, serveRegistry } from '../src/ingest/decoding/registry.testkit.js';
import { api, eventsAtLeast, startFlowscope } from './helpers.js';

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'schemas-test', brokers: [brokers], logLevel: logLevel.NOTHING });
const run = randomBytes(3).toString('hex');

const paymentSchema = {
  type: 'record',
  name: 'PaymentCaptured',
  namespace: 'shop.payments',
  fields: [
    { name: 'paymentId', type: 'string' },
    { name: 'orderId', type: 'string' },
    { name: 'amountMinor', type: 'long' },
    { name: 'method', type: { type: 'enum', name: 'Method', symbols: ['CARD', 'WALLET'] } },
  ],
};
const avroType = avro.Type.forSchema(paymentSchema as avro.Schema);

let registry: Awaited<ReturnType<typeof serveRegistry>>;
beforeAll(async () => {
  registry = await serveRegistry({ 7: { schema: JSON.stringify(paymentSchema) } });
});
afterAll(() => registry.close());

async function produce(topic: string, values: Buffer[]) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

describe('schema-encoded Kafka values', () => {
  it('decodes Avro in the Confluent wire format with the registry, correlates on it, and shows unknown ids as such', async () => {
    const topic = `payments-avro-${run}`;
    const orderId = `AV-${run}`;
    await produce(topic, [
      confluentFramed(7, avroType.toBuffer({ paymentId: 'P-1', orderId, amountMinor: 1999, method: 'CARD' })),
      confluentFramed(8, Buffer.from([0x02, 0x41])),
      confluentFramed(7, avroType.toBuffer({ paymentId: 'P-3', orderId: 'later', amountMinor: 1, method: 'WALLET' })),
    ]);
    const server = await startFlowscope([
      '--kafka',
      brokers,
      '--topics',
      topic,
      '--from',
      'earliest',
      '--schema-registry',
      registry.url,
    ]);
    try {
      const events = await eventsAtLeast(server, 3, 30_000);
      // The record that cannot be decoded does not stop its partition: the one after it arrives decoded.
      expect(events.filter((e) => e.payload.schema).length).toBe(2);
      const decoded = events.find((e) => e.payload.schema && e.payload.value.includes(orderId)) as FlowEvent;
      expect(decoded.payload).toMatchObject({
        encoding: 'json',
        schema: { format: 'avro', id: 7, origin: 'registry' },
        note: expect.stringMatching(/^Decoded from \d+ bytes with the Avro schema 7 \(Schema Registry\)$/),
      });
      expect(JSON.parse(decoded.payload.value)).toEqual({
        paymentId: 'P-1',
        orderId,
        amountMinor: 1999,
        method: 'CARD',
      });
      // The decoded payload is what correlation reads: the order id joins it into the order's flow.
      const { body } = await api<{ flows: FlowSummary[] }>(server, `/api/flows?key=${orderId}`);
      expect(body.flows).toHaveLength(1);

      const unknown = events.find((e) => !e.payload.schema) as FlowEvent;
      expect(unknown.payload).toMatchObject({
        encoding: 'binary',
        note: expect.stringMatching(
          /^schema id 8 is unknown to the Schema Registry at http:\/\/127\.0\.0\.1:\d+; shown as bytes, not guessed\.$/,
        ),
      });
      // A filter can use decoded fields like any JSON payload.
      const { body: filtered } = await api<{ events: FlowEvent[] }>(
        server,
        `/api/events?filter=${encodeURIComponent('payload.amountMinor > 1000')}`,
      );
      expect(filtered.events.map((e) => e.id)).toEqual([decoded.id]);
    } finally {
      await server.close();
    }
  });

  it('decodes plain Avro values of a topic mapped to a local .avsc file in the config', async () => {
    const topic = `payments-file-${run}`;
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-schemas-'));
    writeFileSync(join(dir, 'payment.avsc'), JSON.stringify(paymentSchema));
    const config = join(dir, 'flowscope.yaml');
    writeFileSync(
      config,
      `kafka:\n  - cluster: files\n    brokers: [${brokers}]\n    topics: [${topic}]\n    from: earliest\nschemas:\n  files:\n    - { channel: ${topic}, source: 'kafka:files', file: payment.avsc }\n`,
    );
    await produce(topic, [avroType.toBuffer({ paymentId: 'P-2', orderId: 'F-1', amountMinor: 5, method: 'WALLET' })]);
    const server = await startFlowscope(['--config', config]);
    try {
      const [event] = await eventsAtLeast(server, 1, 30_000);
      expect(event?.payload.schema).toEqual({ format: 'avro', origin: 'file' });
      expect(JSON.parse(event?.payload.value ?? '')).toMatchObject({ paymentId: 'P-2', method: 'WALLET' });
    } finally {
      await server.close();
    }
  });
});
