import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, decodeKey, decodePayload } from './decode.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

describe('decodePayload', () => {
  it('keeps a JSON object as its received text and parses it for correlation', () => {
    const text = '{"orderId":"A-1","total":12.5}';
    const { payload, json } = decodePayload(Buffer.from(text), 1024);
    expect(payload).toEqual({ encoding: 'json', value: text, size: text.length, truncated: false, sha256: sha(text) });
    expect(json).toEqual({ orderId: 'A-1', total: 12.5 });
  });

  it('shows broken JSON as text and says why it is not JSON', () => {
    const { payload, json } = decodePayload(Buffer.from('{"orderId": "A-1",'), 1024);
    expect(payload.encoding).toBe('text');
    expect(payload.value).toBe('{"orderId": "A-1",');
    expect(payload.note).toMatch(/does not parse/);
    expect(json).toBeUndefined();
  });

  it('keeps plain text as text', () => {
    expect(decodePayload(Buffer.from('hello world'), 1024).payload).toMatchObject({
      encoding: 'text',
      value: 'hello world',
    });
  });

  it('keeps bytes that are not UTF-8 as base64, with their size and a note', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x01, 0x80]);
    const { payload } = decodePayload(bytes, 1024);
    expect(payload).toMatchObject({
      encoding: 'binary',
      value: Buffer.from(bytes).toString('base64'),
      size: 5,
      sha256: sha(bytes),
    });
    expect(payload.note).toMatch(/Not UTF-8/);
  });

  it('treats valid UTF-8 holding NUL bytes as binary, not as text', () => {
    expect(decodePayload(Uint8Array.from([0x41, 0x00, 0x42]), 1024).payload.encoding).toBe('binary');
  });

  it('treats what looks like JSON but holds raw control bytes as binary, and JSON with tabs and newlines as JSON', () => {
    expect(decodePayload(Buffer.from('{"a":"x\u0001y"}'), 1024).payload.encoding).toBe('binary');
    expect(decodePayload(Buffer.from('{\u0000}'), 1024).payload.encoding).toBe('binary');
    const { payload, json } = decodePayload(Buffer.from('{\n\t"a": 1\r\n}'), 1024);
    expect(payload.encoding).toBe('json');
    expect(json).toEqual({ a: 1 });
  });

  it('marks an empty or absent body as empty', () => {
    expect(decodePayload(null, 1024).payload).toMatchObject({ encoding: 'empty', size: 0 });
    expect(decodePayload(new Uint8Array(0), 1024).payload).toMatchObject({
      encoding: 'empty',
      size: 0,
      sha256: sha(''),
    });
  });

  it('truncates a huge payload on a character boundary, keeping original size and hash', () => {
    const text = `{"note":"${'é'.repeat(3000)}"}`;
    const bytes = Buffer.from(text);
    const { payload, json } = decodePayload(bytes, 1001);
    expect(payload.truncated).toBe(true);
    expect(payload.size).toBe(bytes.length);
    expect(payload.sha256).toBe(sha(bytes));
    expect(Buffer.byteLength(payload.value)).toBeLessThanOrEqual(1001);
    expect(payload.value).not.toContain('\uFFFD');
    // The whole body was still parsed for correlation before truncation.
    expect(json).toMatchObject({ note: expect.any(String) });
  });
});

describe('decodeKey and headers', () => {
  it('returns no key for a message without one', () => {
    expect(decodeKey(null)).toBeUndefined();
  });
  it('shows a binary key as hex', () => {
    expect(decodeKey(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]))).toEqual({ encoding: 'hex', value: 'deadbeef' });
  });
  it('shows a binary header value as 0x-hex, so it is visible and not lost', () => {
    expect(decodeHeaderValue(Uint8Array.from([0xff, 0x00]))).toBe('0xff00');
    expect(decodeHeaderValue(Buffer.from('plain'))).toBe('plain');
  });
  it('keeps short UTF-8 and tabs as text, and short values with control bytes as hex', () => {
    expect(decodeKey(Buffer.from('Grüße-1'))).toEqual({ encoding: 'text', value: 'Grüße-1' });
    expect(decodeHeaderValue(Buffer.from('a\tb\r\n'))).toBe('a\tb\r\n');
    expect(decodeKey(Uint8Array.from([0x41, 0x1b, 0x42]))).toEqual({ encoding: 'hex', value: '411b42' });
    expect(decodeHeaderValue(Buffer.from('ü\u0000'))).toBe('0xc3bc00');
  });
});
