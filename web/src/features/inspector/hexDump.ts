/** Bytes shown in a hex dump; the rest is summarised. */
export const HEX_DUMP_LIMIT = 4096;
const BYTES_PER_LINE = 16;

export type HexLine = Readonly<{ offset: string; hex: string; ascii: string }>;

/** Decodes base64 to bytes, or null when it is not valid base64. */
export function base64ToBytes(base64: string): Uint8Array | null {
  try {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

const hexByte = (b: number) => b.toString(16).padStart(2, '0');
const printable = (b: number) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.');

/** Classic `offset  hex bytes  |ascii|` lines for at most `limit` bytes. */
export function hexDumpLines(bytes: Uint8Array, limit = HEX_DUMP_LIMIT): HexLine[] {
  const end = Math.min(bytes.length, limit);
  const lines: HexLine[] = [];
  for (let start = 0; start < end; start += BYTES_PER_LINE) {
    const chunk = bytes.subarray(start, Math.min(start + BYTES_PER_LINE, end));
    const hexParts = Array.from(chunk, hexByte);
    const left = hexParts.slice(0, 8).join(' ');
    const right = hexParts.slice(8).join(' ');
    lines.push({
      offset: start.toString(16).padStart(8, '0'),
      hex: `${left.padEnd(23)}  ${right.padEnd(23)}`,
      ascii: Array.from(chunk, printable).join(''),
    });
  }
  return lines;
}
