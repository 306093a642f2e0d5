import { hash } from 'node:crypto';
import type { MessageKey, Payload } from '@flowscope/shared';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const toBytes = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

/** UTF-8 text of the bytes, or undefined when they are not valid UTF-8. */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** NUL and other C0 controls (except tab, CR, LF) mean a binary format that happens to decode. */
// eslint-disable-next-line no-control-regex -- matching control bytes is the point here
const hasControls = (text: string) => /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text);

/** Bytes up to which `asText` tries ASCII first. */
const SHORT = 128;

/** UTF-8 text of the bytes, or undefined when they are not valid UTF-8 or hold control bytes. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.length <= SHORT) {
    // Header values and keys are mostly short ASCII: checked here byte by byte, in half the time.
    let ascii = true;
    for (let i = 0; i < bytes.length && ascii; i++) {
      const c = bytes[i] as number;
      if (c >= 0x80) ascii = false;
      else if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return undefined;
    }
    // A Buffer (as broker clients give them) is read in place; another view gets a Buffer over it.
    if (ascii)
      return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)).toString(
        'latin1',
      );
  }
  const text = utf8(bytes);
  return text === undefined || hasControls(text) ? undefined : text;
}

/** One-shot: a third faster than a Hash object on a 1 KiB payload. */
const sha256Hex = (bytes: Uint8Array) => hash('sha256', bytes, 'hex');

/**
 * `valueHashed`: `payload.sha256` is the SHA-256 of `payload.value`'s UTF-8 (the store then need
 * not keep the hash: it is computed again from the value when read).
 */
export type DecodedPayload = { payload: Payload; json?: unknown; valueHashed?: boolean };

/**
 * Decodes a message body without losing anything: JSON objects and arrays are parsed (for
 * correlation) and kept as the received text, other UTF-8 as text, the rest as base64. Bodies
 * over `maxBytes` keep their first `maxBytes`, with the original size and SHA-256.
 */
export function decodePayload(value: Uint8Array | string | null | undefined, maxBytes: number): DecodedPayload {
  if (value === null || value === undefined || value.length === 0) {
    return {
      payload: { encoding: 'empty', value: '', size: 0, truncated: false, sha256: EMPTY_SHA256 },
      valueHashed: true,
    };
  }
  const bytes = toBytes(value);
  const sha256 = sha256Hex(bytes);
  const size = bytes.byteLength;
  const truncated = size > maxBytes;
  const decoded = utf8(bytes);
  // Text that parses as JSON holds no control bytes (JSON allows none but tab, CR and LF, and
  // those only between tokens): only other text is searched for them.
  const json = decoded !== undefined && isJsonStart(decoded) ? parseJson(decoded) : undefined;
  const text = decoded !== undefined && (json?.ok || !hasControls(decoded)) ? decoded : undefined;

  if (text === undefined) {
    const kept = truncated ? bytes.subarray(0, maxBytes) : bytes;
    return {
      payload: {
        encoding: 'binary',
        value: Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString('base64'),
        size,
        truncated,
        sha256,
        note: `Not UTF-8 text: ${size} bytes shown as hex`,
      },
    };
  }

  const shown = truncated ? truncateUtf8(bytes, maxBytes) : text;
  // Strict UTF-8 gives the same bytes back, except a byte order mark, which the decoder drops.
  const valueHashed = !truncated && !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  if (json?.ok)
    return { payload: { encoding: 'json', value: shown, size, truncated, sha256 }, json: json.value, valueHashed };
  if (json)
    return {
      payload: {
        encoding: 'text',
        value: shown,
        size,
        truncated,
        sha256,
        note: `Looks like JSON but does not parse: ${json.reason}`,
      },
      valueHashed,
    };
  return { payload: { encoding: 'text', value: shown, size, truncated, sha256 }, valueHashed };
}

const isJsonStart = (text: string) => {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
};

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Cuts at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(bytes: Uint8Array, maxBytes: number): string {
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8');
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A key as text when it is clean UTF-8, otherwise as hex. */
export function decodeKey(key: Uint8Array | string | null | undefined): MessageKey | undefined {
  if (key === null || key === undefined) return undefined;
  if (typeof key === 'string') return { encoding: 'text', value: key };
  const text = asText(key);
  return text !== undefined
    ? { encoding: 'text', value: text }
    : { encoding: 'hex', value: Buffer.from(key).toString('hex') };
}

/** A header value as text; bytes that are not UTF-8 become `0x…` hex so they are visible, not lost. */
export function decodeHeaderValue(v: Uint8Array | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return asText(v) ?? `0x${Buffer.from(v).toString('hex')}`;
}
