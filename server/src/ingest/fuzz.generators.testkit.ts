/**
 * Hostile values for the fuzz suite (fuzz.test.ts): what anyone who can publish to a broker can
 * put in a message. Large values are built from a generated size and fill, not generated element
 * by element, so megabytes cost microseconds and the run stays within its time.
 */
import fc from 'fast-check';

/** Above the suite's --max-payload (64 KiB). */
const MB = 1024 * 1024;

/** Correlation values shared by many records, so flows form (and duplicate, and collide). */
const ORDER_IDS = ['A-1', 'A-2', 'B-7', '9007199254740993', '', ' ', '\u0000', 'x'.repeat(300)];

/** Header names correlation, producer and type detection read, so hostile values reach them. */
const KNOWN_HEADERS = [
  'correlation-id',
  'x-correlation-id',
  'causation-id',
  'message-id',
  'traceparent',
  'b3',
  'X-B3-TraceId',
  'ce_id',
  'ce_type',
  'ce_source',
  'ce_time',
  'producer',
  'type',
  'event-type',
  'content-type',
  'authorization',
  '__proto__',
  'constructor',
];

const controls = fc
  .array(fc.integer({ min: 0, max: 0x1f }), { minLength: 1, maxLength: 16 })
  .map((codes) => String.fromCharCode(...codes));
const loneSurrogates = fc.constantFrom('\ud800', 'a\udfffb', '\udbff\udbff', '\ufffe\uffff');

/** Text no producer should send: control characters, lone surrogates, huge, empty, numeric. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 24 },
  { arbitrary: fc.constantFrom(...ORDER_IDS), weight: 16 },
  { arbitrary: controls, weight: 8 },
  { arbitrary: loneSurrogates, weight: 4 },
  { arbitrary: fc.constantFrom('', '9007199254740993', '-0', 'NaN', '1e400', '<script>'), weight: 4 },
  { arbitrary: fc.integer({ min: 300, max: 200_000 }).map((n) => 'n'.repeat(n)), weight: 1 },
);

/** A name (channel, topic, subject, stream, type, producer): hostile text, sometimes an ordinary one. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('orders', 'payments', 'fuzz.avro', 'fuzz.proto', 'secrets.cards'), weight: 3 },
  { arbitrary: hostileText, weight: 2 },
);

/** Bytes that are not UTF-8: overlong forms, lone continuation bytes, cut sequences, 0xFF. */
const invalidUtf8 = fc
  .array(fc.constantFrom([0xc0, 0x80], [0xff], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]), {
    minLength: 1,
    maxLength: 8,
  })
  .chain((parts) => fc.string({ maxLength: 8 }).map((s) => Buffer.concat([Buffer.from(s), Buffer.from(parts.flat())])));

/** Levels of nesting: past what JSON.stringify, structuredClone and v8.serialize recurse through. */
export const deepJson = (depth: number, shape: 'array' | 'object'): string =>
  shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** JSON a service would send, with correlation fields holding hostile values and numbers past 2^53. */
const jsonPayload = fc
  .record({
    orderId: fc.oneof(hostileText, fc.constant(2 ** 64)),
    correlationId: fc.option(hostileText, { nil: undefined }),
    card: fc.option(fc.record({ number: fc.constantFrom('4111111111111111', 4111111111111111) }), { nil: undefined }),
    data: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
  })
  // A number past 2^64 as a producer writes it (JSON.stringify would round it first).
  .map((o) => JSON.stringify(o).replace(`"orderId":${2 ** 64}`, '"orderId":123456789012345678901234567890'));

/** A payload as bytes: random, not UTF-8, controls, JSON (deep, broken, huge), empty, Confluent-framed. */
export const hostileBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), weight: 40 },
  { arbitrary: jsonPayload.map((s) => Buffer.from(s)), weight: 60 },
  { arbitrary: invalidUtf8, weight: 20 },
  { arbitrary: hostileText.map((s) => Buffer.from(s)), weight: 20 },
  { arbitrary: jsonPayload.map((s) => Buffer.from(`\ufeff${s.slice(0, -1)}\u0000`)), weight: 10 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 1000, max: 10_000 }), fc.constantFrom('array' as const, 'object' as const))
      .map(([d, shape]) => Buffer.from(deepJson(d, shape))),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: MB, max: 3 * MB }), fc.constantFrom('json', 'text', 'binary'))
      .map(([size, kind]) => hugePayload(size, kind)),
    weight: 1,
  },
  { arbitrary: fc.constant(Buffer.alloc(0)), weight: 10 },
  {
    arbitrary: fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 64 })).map(([id, body]) => {
      const head = Buffer.alloc(5);
      head.writeUInt32BE(id % 2 ** 32, 1);
      return Buffer.concat([head, body]);
    }),
    weight: 10,
  },
);

/** Megabytes of JSON (one long string field), text or bytes. */
function hugePayload(size: number, kind: string): Buffer {
  if (kind === 'binary') return Buffer.alloc(size, 0xfe);
  if (kind === 'text') return Buffer.alloc(size, 'é');
  return Buffer.from(`{"orderId":"A-1","blob":"${'z'.repeat(size)}"}`);
}

/** Broker times no view can show, and ordinary ones. */
export const hostileTime: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }), weight: 4 },
  {
    arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e300, -1, -0, 0, 8.64e15, 8.64e15 + 1, 2 ** 53 + 2, 2 ** 64),
    weight: 3,
  },
  { arbitrary: fc.double(), weight: 1 },
);

/** A time as a broker client hands it over as text (kafkajs): numbers, and what is none. */
export const hostileTimeText: fc.Arbitrary<string> = fc.oneof(
  hostileTime.map(String),
  fc.constantFrom('', 'abc', '1e400', '9007199254740993', '-1', ' 12 ', '0x10', '\u0000'),
);

/** Header names: the ones correlation reads, hostile text, huge. */
export const headerName: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN_HEADERS), weight: 3 },
  { arbitrary: hostileText, weight: 2 },
);

/** Header values as text, sometimes a megabyte. */
export const headerText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileText, weight: 40 },
  { arbitrary: fc.integer({ min: 10_000, max: MB }).map((n) => 'h'.repeat(n)), weight: 1 },
);

/**
 * Headers as `value(name, i)` makes them: a few generated ones, or thousands (names and values
 * made from their index, as a misbehaving producer loops).
 */
export const hostileHeaders = <V>(value: fc.Arbitrary<V>, many: (i: number) => V): fc.Arbitrary<[string, V][]> =>
  fc.oneof(
    { arbitrary: fc.array(fc.tuple(headerName, value), { maxLength: 8 }), weight: 40 },
    {
      arbitrary: fc
        .integer({ min: 1000, max: 10_000 })
        .map((n) => Array.from({ length: n }, (_, i): [string, V] => [`h-${i}`, many(i)])),
      weight: 1,
    },
  );

/** Ids from a small pool, so the same id arrives again with other content. */
export const duplicateId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('m-1', 'm-2', 'm-3'),
  fc.nat().map((n) => `m-${n}`),
);

/** A binary key (or correlation data, or a header's bytes): random, not UTF-8, text, 100 KB. */
export const hostileKey: fc.Arbitrary<Buffer> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), weight: 4 },
  { arbitrary: invalidUtf8, weight: 2 },
  { arbitrary: hostileText.map((s) => Buffer.from(s)), weight: 3 },
  { arbitrary: fc.integer({ min: 1024, max: 100_000 }).map((n) => Buffer.alloc(n, 0x01)), weight: 1 },
);
