import { describe, expect, it } from 'vitest';
import {
  binaryPayload,
  emptyPayload,
  evaluate,
  filterOf,
  flowEvent,
  jsonEvent,
  rawJsonPayload,
  textPayload,
  valueOf,
} from './filter.testkit.js';

const order = jsonEvent(
  {
    orderId: 'A-1001',
    amount: 150,
    currency: 'EUR',
    paid: true,
    note: null,
    customer: { name: 'Ada', tier: 'gold' },
    items: [
      { sku: 'SKU-1', qty: 2, price: 50 },
      { sku: 'SKU-2', qty: 1, price: 50 },
    ],
    tags: ['new', 'eu'],
    count: '42',
    ratio: '0.75',
    zero: 0,
    label: 'Grüße 😀',
  },
  {
    channel: 'payments',
    broker: 'kafka',
    cluster: 'prod',
    partition: 3,
    offset: '9007199254740993',
    key: 'A-1001',
    type: 'payment.authorized',
    producer: 'payment-service',
    headers: { 'Correlation-ID': 'c-42', 'X-Retry': ['1', '2'], traceparent: 'tp' },
    keys: { orderId: 'A-1001', paymentId: 'P-9' },
    traceId: 'trace-1',
  },
);

const is = (source: string) => expect(valueOf(source, order), source);

describe('literals', () => {
  it('reads strings with escapes, raw strings, numbers, booleans, null and lists', () => {
    is('"a\\tb" == \'a\\u0009b\'').toBe(true);
    is('\'it\\\'s\' == "it\'s" && "say \\"hi\\"" == \'say "hi"\'').toBe(true);
    is('"line\\nbreak".contains("\\n") && "back\\\\slash".size() == 10').toBe(true);
    is('"\\u{1F600}" == "😀"').toBe(true);
    is('r"\\d+" == "\\\\d+"').toBe(true);
    is('0x10 == 16 && 1e3 == 1000 && 2.5e-1 == 0.25 && -1.5 < 0').toBe(true);
    is('null == null && true != false').toBe(true);
    is('[1, "a", [true]] == [1, "a", [true]] && [1, 2] != [2, 1]').toBe(true);
  });
});

describe('the event environment', () => {
  it('exposes the fields of the event by name', () => {
    is('id.startsWith("ev-") && seq > 0').toBe(true);
    is('channel == "payments" && broker == "kafka" && cluster == "prod"').toBe(true);
    is('partition == 3 && offset == "9007199254740993"').toBe(true);
    is('timestamp == 1700000000000 && receivedAt - timestamp == 250').toBe(true);
    is('type == "payment.authorized" && producer == "payment-service"').toBe(true);
    is('key == "A-1001" && traceId == "trace-1"').toBe(true);
    is('encoding == "json" && size > 100').toBe(true);
    is('payloadText.contains("\\"orderId\\":\\"A-1001\\"")').toBe(true);
  });

  it('looks headers up case-insensitively and gives the first value of a repeated header', () => {
    is('headers["correlation-id"] == "c-42" && headers["CORRELATION-ID"] == "c-42"').toBe(true);
    is('headers["x-retry"] == "1"').toBe(true);
    is('headers.traceparent == "tp" && headers.TRACEPARENT == "tp"').toBe(true);
    is('"correlation-id" in headers && !("b3" in headers) && size(headers) == 3').toBe(true);
  });

  it('exposes correlation keys by name', () => {
    is('keys.orderId == "A-1001" && keys["paymentId"] == "P-9" && keys.orderid == "A-1001"').toBe(true);
    is('"paymentId" in keys && !has(keys.shipmentId)').toBe(true);
  });

  it('reads nested payload fields, list items and fields with any name', () => {
    is('payload.customer.name == "Ada" && payload["customer"]["tier"] == "gold"').toBe(true);
    is('payload.items[0].sku == "SKU-1" && payload.items[1].qty == 1').toBe(true);
    is('payload.tags == ["new", "eu"]').toBe(true);
  });

  it('gives the text of a text payload, and no payload for binary or empty ones', () => {
    const text = flowEvent({ payload: textPayload('hello world') });
    expect(valueOf('payload == "hello world" && payload.contains("world")', text)).toBe(true);
    expect(valueOf('has(payload.x) || payload.x == "a"', text)).toBe(false);
    expect(valueOf('payloadText.startsWith("hello") && encoding == "text"', text)).toBe(true);

    const binary = flowEvent({ payload: binaryPayload('AAEC') });
    expect(valueOf('has(payload) || has(payloadText)', binary)).toBe(false);
    expect(valueOf('encoding == "binary" && size == 4', binary)).toBe(true);

    const empty = flowEvent({ payload: emptyPayload() });
    expect(valueOf('!has(payload) && payloadText == "" && size == 0', empty)).toBe(true);
  });

  it('treats malformed or truncated JSON as no payload, while its text stays searchable', () => {
    const broken = flowEvent({ payload: rawJsonPayload('{"orderId": "A-1", "amou') });
    expect(valueOf('payload.orderId == "A-1"', broken)).toBe(false);
    expect(valueOf('payloadText.contains("A-1")', broken)).toBe(true);
  });
});

describe('missing values', () => {
  it('makes every comparison with a missing value false, except != which is true', () => {
    is('payload.missing == 1').toBe(false);
    is('payload.missing < 1 || payload.missing >= 1').toBe(false);
    is('payload.missing != 1').toBe(true);
    is('payload.missing in [1, 2] || "a" in payload.missing').toBe(false);
    is('payload.missing.deeper.still == "x"').toBe(false);
    is('payload.items[99].sku == "x" || payload.items[-1].sku == "x"').toBe(false);
  });

  it('propagates through arithmetic and functions, and counts as false as a condition', () => {
    is('payload.missing + 1 == 1 || size(payload.missing) == 0').toBe(false);
    is('payload.missing.contains("x")').toBe(false);
    is('!payload.missing && !payload.missing.contains("x")').toBe(true);
    is('payload.missing ? false : true').toBe(true);
  });

  it('distinguishes a missing field from a JSON null', () => {
    is('has(payload.note) && payload.note == null').toBe(true);
    is('!has(payload.absentNote) && payload.absentNote != null').toBe(true);
  });

  it('treats optional event fields the same way', () => {
    const bare = flowEvent();
    expect(valueOf('has(key) || has(partition) || has(type) || has(traceId)', bare)).toBe(false);
    expect(valueOf('key != "A-1" && type != "x"', bare)).toBe(true);
    expect(valueOf('headers.missing == "x"', bare)).toBe(false);
  });
});

describe('operators', () => {
  it('does arithmetic on numbers and joins strings and lists with +', () => {
    is('payload.amount * 2 - 50 == 250 && payload.amount / 4 == 37.5 && payload.amount % 7 == 3').toBe(true);
    is('-payload.amount == -150').toBe(true);
    is('payload.currency + "/" + payload.orderId == "EUR/A-1001"').toBe(true);
    is('payload.tags + ["x"] == ["new", "eu", "x"]').toBe(true);
  });

  it('compares numbers numerically and strings by character code, never across types', () => {
    is('payload.amount > 100 && payload.amount <= 150 && payload.amount >= 150 && payload.amount < 151').toBe(true);
    is('"abc" < "abd" && "B" < "a" && "10" < "9"').toBe(true);
    is('payload.count == 42 || payload.count > 1 || payload.amount == "150"').toBe(false);
    is('payload.paid == true && payload.paid != "true"').toBe(true);
  });

  it('tests membership in lists, substrings and map keys with in', () => {
    is('"pay" in channel && "eu" in payload.tags && 2 in [1, 2]').toBe(true);
    is('"customer" in payload && !("constructor" in payload)').toBe(true);
    is('payload.items[1] in payload.items && !(payload.customer in payload.items)').toBe(true);
  });

  it('decides && and || even when the other side fails on this event, as CEL does', () => {
    is('int(payload.customer.name) > 1 || channel == "payments"').toBe(true);
    is('int(payload.customer.name) > 1 && channel == "other"').toBe(false);
    const result = evaluate('int(payload.customer.name) > 1 && channel == "payments"', order);
    expect(result).toEqual({
      ok: false,
      error: 'int() cannot convert "Ada" to a number at line 1, column 1',
    });
  });
});

describe('functions', () => {
  it('tests text with contains, startsWith, endsWith and matches', () => {
    is('channel.contains("ymen") && channel.startsWith("pay") && channel.endsWith("ents")').toBe(true);
    is('payload.orderId.matches(r"^A-\\d{4}$") && matches(payload.orderId, "10")').toBe(true);
    is('payload.orderId.matches("(?i)^a-")').toBe(true);
    is('payload.orderId.matches("^B")').toBe(false);
  });

  it('measures text in characters (code points), lists in items and maps in keys', () => {
    is('size(payload.label) == 7 && payload.label.size() == 7').toBe(true);
    is('size(payload.items) == 2 && size(payload.customer) == 2 && size("") == 0').toBe(true);
  });

  it('converts case and types', () => {
    is('lower(payload.currency) == "eur" && payload.customer.name.upper() == "ADA"').toBe(true);
    is('string(payload.amount) == "150" && string(1.5) == "1.5" && string(true) == "true"').toBe(true);
    is('string(payload.note) == "null"').toBe(true);
    is('int(payload.count) == 42 && int(3.9) == 3 && int(-3.9) == -3 && int(" 7 ") == 7').toBe(true);
    is('double(payload.ratio) == 0.75 && double("1e2") == 100 && double(2) == 2').toBe(true);
    is('int(offset) > 9007199254740000').toBe(true);
  });

  it('has() is true for present fields, at any depth', () => {
    is('has(payload.customer.tier) && has(payload.items[1]) && has(headers.traceparent) && has(key)').toBe(true);
    is('has(payload.customer.age) || has(payload.items[2]) || has(payload.zzz.yyy)').toBe(false);
  });

  it('quantifies over lists (items) and maps (keys) with exists and all', () => {
    is('payload.items.exists(i, i.qty > 1) && payload.items.all(i, i.price == 50)').toBe(true);
    is('exists(payload.items, i, i.sku == "SKU-3") || all(payload.items, i, i.qty > 1)').toBe(false);
    is('payload.customer.exists(k, k == "tier") && headers.exists(h, h.startsWith("X-"))').toBe(true);
    is('payload.items.exists(i, payload.tags.exists(t, t == "eu" && i.qty == 2))').toBe(true);
    is('[].all(x, false) && ![].exists(x, true)').toBe(true);
    is('payload.missing.all(x, true) || payload.missing.exists(x, true)').toBe(false);
  });
});

describe('evaluation errors', () => {
  it.each([
    ['payload.amount / payload.zero > 1', 'Division by zero at line 1, column 16'],
    [
      'payload.customer.name * 2 > 1',
      "'*' needs numbers at line 1, column 1, but payload.customer.name is a string on this event",
    ],
    [
      'payload.paid && payload.amount',
      "Each side of '&&' must be true or false at line 1, column 17, but payload.amount is a number on this event",
    ],
    [
      'payload.amount',
      'The filter must be true or false at line 1, column 1, but payload.amount is a number on this event',
    ],
    [
      'payload.items.contains("x")',
      'contains() works on text at line 1, column 1, but payload.items is a list on this event',
    ],
    [
      'payload.currency.matches(payload.currency + "(")',
      "Invalid regular expression at line 1, column 26: missing ')' to close the group",
    ],
  ])('%s', (source, error) => {
    expect(evaluate(source, order)).toEqual({ ok: false, error });
    expect(filterOf(source).test(order)).toBe(false);
  });
});
