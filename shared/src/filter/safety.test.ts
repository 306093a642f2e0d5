import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileFilter, createFilterInput } from './filter.js';
import { evaluate, filterOf, flowEvent, jsonEvent, rawJsonPayload, textPayload, valueOf } from './filter.testkit.js';

const BUDGET_ERROR =
  'The filter used up its evaluation budget of 200,000 steps on this event: simplify it, ' +
  'e.g. avoid nested exists() over long lists or regular expressions over large payloads';

describe('JavaScript internals are out of reach', () => {
  const hostile = flowEvent({
    payload: rawJsonPayload('{"__proto__": {"polluted": true}, "a": {"b": 1}, "s": "text", "items": [1, 2]}'),
    headers: { 'x-id': '1' },
    keys: { orderId: 'A-1' },
  });

  it.each([
    'payload.constructor',
    'payload["constructor"]',
    'payload.prototype',
    'payload.a.constructor',
    'payload.a.hasOwnProperty',
    'payload.a.toString',
    'payload.a.b.constructor',
    'payload.a.__proto__',
    'payload.s.constructor',
    'payload.s.length',
    'payload.items.length',
    'payload.items.constructor',
    'headers.constructor',
    'headers["__proto__"]',
    'keys.__proto__',
    'keys.toString',
  ])('%s is missing', (path) => {
    expect(valueOf(`has(${path}) || ${path} == ${path}`, hostile)).toBe(false);
    expect(valueOf(`${path} != payload.s`, hostile)).toBe(true);
  });

  it('keeps a "__proto__" key of the JSON as plain data and pollutes nothing', () => {
    expect(valueOf('payload.__proto__.polluted == true && "__proto__" in payload', hostile)).toBe(true);
    expect(valueOf('size(payload) == 4 && payload.a.all(k, k == "b")', hostile)).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('finds no inherited keys with in', () => {
    expect(valueOf('"constructor" in payload || "toString" in headers || "hasOwnProperty" in keys', hostile)).toBe(
      false,
    );
  });
});

describe('evaluation budget', () => {
  const items = Array.from({ length: 200 }, (_, n) => ({ n }));
  const many = jsonEvent({ items });

  it('stops a combinatorial filter with an error instead of hanging', { timeout: 2000 }, () => {
    const source =
      'payload.items.exists(a, payload.items.exists(b, payload.items.exists(c, ' +
      'payload.items.exists(d, a.n + b.n + c.n + d.n == -1))))';
    expect(evaluate(source, many)).toEqual({ ok: false, error: BUDGET_ERROR });
    expect(filterOf(source).test(many)).toBe(false);
  });

  it('charges text work by length, so repeated copies of a large payload run out', { timeout: 2000 }, () => {
    const big = flowEvent({ payload: textPayload('x'.repeat(1_000_000)) });
    const source = `size(${Array.from({ length: 30 }, () => 'payloadText').join(' + ')}) > 0`;
    expect(evaluate(source, big)).toEqual({ ok: false, error: BUDGET_ERROR });
  });

  it('charges regular expression work per character', { timeout: 2000 }, () => {
    const big = flowEvent({ payload: textPayload(`${'a'.repeat(2_000_000)}!`) });
    expect(evaluate('payloadText.matches("(a+)+$")', big)).toEqual({ ok: false, error: BUDGET_ERROR });
    // The same pattern on a normal payload is fine: the engine is linear, not blocked.
    expect(valueOf('payloadText.matches("(a+)+$")', flowEvent({ payload: textPayload('aaaa!') }))).toBe(false);
  });

  it('converts numbers from text without super-linear backtracking', { timeout: 2000 }, () => {
    const digits = flowEvent({ payload: textPayload(`${'1'.repeat(100_000)}x`) });
    expect(evaluate('double(payloadText) > 0', digits)).toMatchObject({ ok: false });
    expect(evaluate('int(payloadText) > 0', digits)).toMatchObject({ ok: false });
  });

  it('reports a payload too deeply nested to compare instead of crashing', () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const nested = flowEvent({ payload: rawJsonPayload(`{"a": ${deep}, "b": ${deep}}`) });
    expect(evaluate('payload.a == payload.b', nested)).toEqual({
      ok: false,
      error: 'The filter could not be evaluated on this event: its payload is nested too deeply',
    });
  });

  it('gives each evaluation its own budget, which callers can size', () => {
    const compiled = compileFilter('payload.items.exists(i, i.n == 150)', { maxSteps: 500 });
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.filter.evaluate(many)).toMatchObject({ ok: false });
    expect(compiled.filter.evaluate(jsonEvent({ items: [{ n: 150 }] }))).toEqual({ ok: true, value: true });
    expect(valueOf('payload.items.exists(i, i.n == 150)', many)).toBe(true);
  });
});

describe('lazy environment', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses the payload only for filters that read it, and once per evaluation', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const event = jsonEvent({ a: 1, b: 2 }, { channel: 'payments' });
    parse.mockClear();

    const metadataOnly = filterOf('channel == "payments" && payloadText.contains("a")');
    expect(metadataOnly.test(event)).toBe(true);
    expect(parse).not.toHaveBeenCalled();

    expect(filterOf('payload.a == 1 && payload.b == 2 && has(payload.a)').test(event)).toBe(true);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('shares the decoded payload between filters given one FilterInput', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const input = createFilterInput(jsonEvent({ amount: 150 }, { channel: 'payments' }));
    parse.mockClear();
    expect(filterOf('payload.amount > 100').test(input)).toBe(true);
    expect(filterOf('payload.amount < 200 && channel == "payments"').test(input)).toBe(true);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('says whether a filter reads payload content', () => {
    expect(filterOf('channel == "a" && size > 10 && encoding == "json"').usesPayload).toBe(false);
    expect(filterOf('payload.amount > 1').usesPayload).toBe(true);
    expect(filterOf('payloadText.contains("x")').usesPayload).toBe(true);
  });

  it('keeps the source it was compiled from', () => {
    expect(filterOf(' channel == "a" ').source).toBe(' channel == "a" ');
  });
});
