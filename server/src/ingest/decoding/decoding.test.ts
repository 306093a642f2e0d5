import avro from 'avsc';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAvro, parseAvroSchema } from './avro.js';
import { decodeMessage, parseProto } from './protobuf.js';
import { confluentFramed, serveRegistry } from './registry.testkit.js';
import { SchemaDecoder, SchemaRegistry } from './schemas.js';

/** What the JSON of an avsc value looks like after our decoding: bytes as base64, the rest as is. */
const asJson = (v: unknown): unknown =>
  Buffer.isBuffer(v)
    ? v.toString('base64')
    : Array.isArray(v)
      ? v.map(asJson)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJson(x)]))
        : v;

const orderSchema = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'shop.orders',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'customer', type: { type: 'record', name: 'Customer', fields: [{ name: 'id', type: 'long' }] } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'PAID', 'SHIPPED'] } },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'quantity', type: 'int' },
            { name: 'price', type: 'double' },
          ],
        },
      },
    },
    { name: 'tags', type: { type: 'map', values: 'string' } },
    { name: 'coupon', type: ['null', 'string'], default: null },
    { name: 'billedTo', type: ['null', 'Customer'], default: null },
    { name: 'paid', type: 'boolean' },
    { name: 'weight', type: 'float' },
    { name: 'signature', type: 'bytes' },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};

describe('Avro decoding, checked against avsc (the reference JavaScript implementation)', () => {
  const type = avro.Type.forSchema(orderSchema as avro.Schema);
  const ours = parseAvroSchema(JSON.stringify(orderSchema));

  it('decodes records, enums, arrays, maps, unions, named references, bytes and fixed', () => {
    const value = {
      orderId: 'A-1',
      customer: { id: 42 },
      status: 'PAID',
      items: [{ sku: 'SKU-1', quantity: 2, price: 9.5 }],
      tags: { channel: 'web' },
      coupon: 'WELCOME',
      billedTo: { id: 7 },
      paid: true,
      weight: 1.5,
      signature: Buffer.from([1, 2, 3]),
      hash: Buffer.from([9, 8, 7, 6]),
      at: 1_700_000_000_000,
    };
    expect(decodeAvro(ours, type.toBuffer(value))).toEqual(asJson(value));
  });

  it('decodes 300 random values of the schema exactly as avsc wrote them', () => {
    for (let i = 0; i < 300; i++) {
      const value = type.random();
      expect(decodeAvro(ours, type.toBuffer(value))).toEqual(asJson(type.fromBuffer(type.toBuffer(value))));
    }
  });

  it('keeps longs beyond 2^53 exact, as decimal strings, and decimals as text', () => {
    const big = avro.Type.forSchema('long', { registry: {} });
    const buf = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // zigzag of 2^63-1
    expect(decodeAvro(parseAvroSchema('"long"'), buf)).toBe('9223372036854775807');
    expect(decodeAvro(parseAvroSchema('"long"'), big.toBuffer(-5))).toBe(-5);
    const decimal = parseAvroSchema({ type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 });
    expect(decodeAvro(decimal, Buffer.from([0x04, 0x30, 0x39]))).toBe('123.45'); // 12345
    expect(decodeAvro(decimal, Buffer.from([0x04, 0xcf, 0xc7]))).toBe('-123.45');
  });

  it('says where the data stops fitting the schema', () => {
    expect(() => decodeAvro(ours, Buffer.from([0x06, 0x41]))).toThrow(/Avro length 3 at byte 1 is impossible/);
    expect(() => decodeAvro(parseAvroSchema('"int"'), Buffer.from([0x02, 0x02]))).toThrow(/1 bytes left/);
    expect(() => decodeAvro(parseAvroSchema('"double"'), Buffer.from([0x01]))).toThrow(/Avro data ends at byte 1/);
  });
});

const proto = `
syntax = "proto3";
package shop.payments;

enum Method { METHOD_UNSPECIFIED = 0; CARD = 1; WALLET = 2; }

message PaymentCaptured {
  string payment_id = 1;
  string order_id = 2;
  int64 amount_minor = 3;
  sint32 adjustment = 4;
  Method method = 5;
  repeated int32 attempts = 6;
  map<string, string> labels = 7;
  Card card = 8;
  bytes receipt = 9;
  double rate = 10;
  bool settled = 11;
  fixed64 ledger = 12;
  message Card { string brand = 1; string last4 = 2; }
}

message PaymentFailed { string payment_id = 1; string reason = 2; }
`;

describe('Protobuf decoding, checked against protobufjs encoding', () => {
  const reference = protobuf.parse(proto, { keepCase: true }).root;
  const Captured = reference.lookupType('shop.payments.PaymentCaptured');
  const ours = parseProto(proto);

  it('decodes scalars, enums, packed repeated fields, maps, nested messages and bytes', () => {
    const value = {
      payment_id: 'P-1',
      order_id: 'A-1',
      amount_minor: 9_007_199_254_740_993n.toString(),
      adjustment: -42,
      method: 2,
      attempts: [1, 2, 300],
      labels: { region: 'eu', tier: 'gold' },
      card: { brand: 'visa', last4: '4242' },
      receipt: Buffer.from('ok'),
      rate: 0.25,
      settled: true,
      ledger: 77,
    };
    const bytes = Buffer.from(Captured.encode(Captured.fromObject(value)).finish());
    const type = ours.messages[0];
    if (!type) throw new Error('no message');
    expect(decodeMessage(type, bytes)).toEqual({
      ...value,
      amount_minor: '9007199254740993',
      method: 'WALLET',
      receipt: Buffer.from('ok').toString('base64'),
    });
  });

  it('keeps fields the schema does not know, by number', () => {
    const Failed = reference.lookupType('shop.payments.PaymentFailed');
    const bytes = Buffer.from(Failed.encode(Failed.fromObject({ payment_id: 'P-2', reason: 'declined' })).finish());
    const older = parseProto('syntax = "proto3"; message PaymentFailed { string payment_id = 1; }');
    const type = older.messages[0];
    if (!type) throw new Error('no message');
    expect(decodeMessage(type, bytes)).toEqual({
      payment_id: 'P-2',
      _unknownFields: { '2': [Buffer.from('declined').toString('base64')] },
    });
  });
});

describe('Confluent wire format with a Schema Registry', () => {
  let registry: Awaited<ReturnType<typeof serveRegistry>>;
  let url = '';
  beforeAll(async () => {
    registry = await serveRegistry({
      1: { schema: JSON.stringify(orderSchema) },
      2: { schema: proto, schemaType: 'PROTOBUF' },
      3: { schema: '{"type":"object"}', schemaType: 'JSON' },
    });
    url = registry.url.replace('http://', 'http://user:pa%24%24@');
  });
  afterAll(() => registry.close());
  const framed = confluentFramed;

  it('decodes Avro, Protobuf (message indexes) and JSON Schema values, fetching each schema once', async () => {
    const decoder = new SchemaDecoder(new SchemaRegistry({ url }));
    const avroType = avro.Type.forSchema(orderSchema as avro.Schema);
    const order = avroType.random() as unknown as { orderId: string };
    const first = await decoder.decode('orders', framed(1, avroType.toBuffer(order)));
    expect(first).toMatchObject({ format: 'avro', schemaId: 1, origin: 'registry' });
    expect((first as { json: { orderId: string } }).json.orderId).toBe(order.orderId);
    await decoder.decode('orders', framed(1, avroType.toBuffer(order)));
    expect(registry.requests.filter((r) => r.startsWith('/schemas/ids/1 '))).toHaveLength(1);
    // Credentials in the URL go to a Basic authorization header, and never into messages.
    expect(registry.requests[0]).toContain(`Basic ${Buffer.from('user:pa$$').toString('base64')}`);

    const reference = protobuf.parse(proto, { keepCase: true }).root;
    const Failed = reference.lookupType('shop.payments.PaymentFailed');
    const failed = Buffer.from(Failed.encode(Failed.fromObject({ payment_id: 'P-9', reason: 'no funds' })).finish());
    // Message index [1] (zigzag count 1 → 0x02, index 1 → 0x02): the file's second message.
    expect(await decoder.decode('payments', framed(2, failed, [0x02, 0x02]))).toMatchObject({
      format: 'protobuf',
      json: { payment_id: 'P-9', reason: 'no funds' },
    });
    expect(await decoder.decode('x', framed(3, Buffer.from('{"orderId":"J-1"}')))).toMatchObject({
      format: 'json-schema',
      json: { orderId: 'J-1' },
    });
  });

  it('shows an unknown schema id as unknown, never guessed, and names the registry without credentials', async () => {
    const decoder = new SchemaDecoder(new SchemaRegistry({ url }));
    const result = await decoder.decode('orders', framed(99, Buffer.from([1, 2, 3])));
    expect(result).toEqual({
      schemaId: 99,
      error: expect.stringMatching(
        /^schema id 99 is unknown to the Schema Registry at http:\/\/127\.0\.0\.1:\d+; shown as bytes, not guessed\.$/,
      ),
    });
    expect(JSON.stringify(result)).not.toContain('pa$$');
  });

  it('reports a value that does not fit its schema, and a registry that is down', async () => {
    const decoder = new SchemaDecoder(new SchemaRegistry({ url }));
    expect(await decoder.decode('orders', framed(1, Buffer.from([0x06])))).toMatchObject({
      schemaId: 1,
      error: expect.stringMatching(/^Does not decode with the Avro schema 1: .*Shown as bytes\.$/),
    });
    const down = new SchemaDecoder(new SchemaRegistry({ url: 'http://127.0.0.1:9', timeoutMs: 1000 }));
    expect(await down.decode('orders', framed(1, Buffer.from([0])))).toMatchObject({
      error: expect.stringMatching(/Schema Registry at http:\/\/127\.0\.0\.1:9 did not answer/),
    });
  });

  it('leaves values that are not in the wire format alone', async () => {
    const decoder = new SchemaDecoder(new SchemaRegistry({ url }));
    expect(await decoder.decode('orders', Buffer.from('{"plain":"json"}'))).toBeUndefined();
  });
});
