/**
 * A POSIX ustar archive of text files, for downloading a documentation bundle as one file.
 * Pure (returns bytes); paths are relative, at most 100 bytes, with `/` separators.
 */
export function tarArchive(files: Readonly<Record<string, string>>, mtimeMs: number): Uint8Array {
  const enc = new TextEncoder();
  const blocks: Uint8Array[] = [];
  const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;
  for (const [path, text] of Object.entries(files)) {
    const name = enc.encode(path);
    if (name.length > 100 || path.startsWith('/') || path.split('/').includes('..'))
      throw new Error(`cannot archive "${path}": paths are relative and at most 100 bytes`);
    const body = enc.encode(text);
    const header = new Uint8Array(512);
    const put = (at: number, s: string) => header.set(enc.encode(s), at);
    header.set(name, 0);
    put(100, octal(0o644, 8));
    put(108, octal(0, 8));
    put(116, octal(0, 8));
    put(124, octal(body.length, 12));
    put(136, octal(Math.floor(mtimeMs / 1000), 12));
    put(148, '        '); // checksum counts as spaces while it is computed
    put(156, '0');
    put(257, 'ustar\u000000');
    let sum = 0;
    for (const b of header) sum += b;
    put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, body);
    const pad = (512 - (body.length % 512)) % 512;
    if (pad > 0) blocks.push(new Uint8Array(pad));
  }
  blocks.push(new Uint8Array(1024)); // two zero blocks end the archive
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
