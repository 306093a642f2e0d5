import { describe, expect, it } from 'vitest';
import { base64ToBytes, hexDumpLines } from './hexDump';

describe('hexDumpLines', () => {
  it('prints offset, two groups of eight bytes and printable ASCII', () => {
    const bytes = Uint8Array.from({ length: 18 }, (_, i) => 0x41 + i);
    const [first, second] = hexDumpLines(bytes);
    expect(first?.offset).toBe('00000000');
    expect(first?.hex).toBe('41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50');
    expect(first?.ascii).toBe('ABCDEFGHIJKLMNOP');
    expect(second?.offset).toBe('00000010');
    expect(second?.ascii).toBe('QR');
  });

  it('stops at the limit', () => {
    expect(hexDumpLines(new Uint8Array(10_000), 64)).toHaveLength(4);
  });
});

describe('base64ToBytes', () => {
  it('decodes base64 and rejects garbage', () => {
    expect(Array.from(base64ToBytes('AAH//g==') ?? [])).toEqual([0x00, 0x01, 0xff, 0xfe]);
    expect(base64ToBytes('not base64!')).toBeNull();
  });
});
