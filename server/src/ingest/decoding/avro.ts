/**
 * An Avro binary decoder that interprets the schema (no generated code, no `new Function`), so a
 * schema from a registry can never become code. Produces plain JSON values: longs beyond 2^53 as
 * decimal strings, bytes and fixed as base64, unions as the bare branch value, enums as symbols.
 */
export type AvroType =
  | { readonly type: 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string' }
  | { readonly type: 'record'; readonly name: string; readonly fields: readonly { name: string; type: AvroType }[] }
  | { readonly type: 'enum'; readonly name: string; readonly symbols: readonly string[] }
  | { readonly type: 'array'; readonly items: AvroType }
  | { readonly type: 'map'; readonly values: AvroType }
  | { readonly type: 'fixed'; readonly name: string; readonly size: number }
  | { readonly type: 'union'; readonly branches: readonly AvroType[] }
  | { readonly type: 'decimal'; readonly scale: number; readonly of: AvroType };

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** Parses an Avro schema (JSON text or value) into a tree; named types may be referenced later. */
export function parseAvroSchema(schema: string | unknown): AvroType {
  const named = new Map<string, AvroType>();
  const root = typeof schema === 'string' ? (JSON.parse(schema) as unknown) : schema;
  const walk = (s: unknown, namespace: string | undefined): AvroType => {
    if (typeof s === 'string') {
      if (PRIMITIVES.has(s)) return { type: s as 'null' };
      const ref = named.get(s) ?? (namespace ? named.get(`${namespace}.${s}`) : undefined);
      if (!ref) throw new Error(`unknown Avro type "${s}"`);
      return ref;
    }
    if (Array.isArray(s)) return { type: 'union', branches: s.map((b) => walk(b, namespace)) };
    if (!s || typeof s !== 'object') throw new Error(`not an Avro schema: ${JSON.stringify(s)}`);
    const o = s as Record<string, unknown>;
    const fullName = (name: unknown) => {
      const n = String(name);
      if (n.includes('.')) return n;
      const ns = typeof o.namespace === 'string' ? o.namespace : namespace;
      return ns ? `${ns}.${n}` : n;
    };
    const ns = (full: string) => (full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : namespace);
    if (o.logicalType === 'decimal' && (o.type === 'bytes' || o.type === 'fixed')) {
      const of = o.type === 'bytes' ? ({ type: 'bytes' } as const) : walk({ ...o, logicalType: undefined }, namespace);
      return { type: 'decimal', scale: Number(o.scale ?? 0), of };
    }
    switch (o.type) {
      case 'record':
      case 'error': {
        const name = fullName(o.name);
        const fields: { name: string; type: AvroType }[] = [];
        const record: AvroType = { type: 'record', name, fields };
        named.set(name, record);
        for (const f of (o.fields as { name: string; type: unknown }[] | undefined) ?? [])
          fields.push({ name: f.name, type: walk(f.type, ns(name)) });
        return record;
      }
      case 'enum': {
        const t: AvroType = { type: 'enum', name: fullName(o.name), symbols: (o.symbols as string[]) ?? [] };
        named.set(t.name, t);
        return t;
      }
      case 'fixed': {
        const t: AvroType = { type: 'fixed', name: fullName(o.name), size: Number(o.size) };
        named.set(t.name, t);
        return t;
      }
      case 'array':
        return { type: 'array', items: walk(o.items, namespace) };
      case 'map':
        return { type: 'map', values: walk(o.values, namespace) };
      default:
        // {"type": "long", "logicalType": "timestamp-millis"} and friends: the underlying value.
        return walk(o.type, namespace);
    }
  };
  return walk(root, undefined);
}

class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number) {
    if (this.offset + n > this.buf.length)
      throw new Error(`Avro data ends at byte ${this.buf.length}, ${n} more needed at ${this.offset}`);
  }

  long(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      this.need(1);
      const b = this.buf[this.offset++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new Error('Avro varint longer than 10 bytes');
    }
    return (result >> 1n) ^ -(result & 1n);
  }

  bytes(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  size(): number {
    const n = this.long();
    if (n < 0n || n > BigInt(this.buf.length)) throw new Error(`Avro length ${n} at byte ${this.offset} is impossible`);
    return Number(n);
  }
}

const jsonLong = (v: bigint): number | string =>
  v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();

function decimalText(bytes: Buffer, scale: number): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) n -= 1n << BigInt(bytes.length * 8);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

function read(t: AvroType, r: Reader): unknown {
  switch (t.type) {
    case 'null':
      return null;
    case 'boolean':
      return r.bytes(1)[0] !== 0;
    case 'int':
    case 'long':
      return jsonLong(r.long());
    case 'float':
      return r.bytes(4).readFloatLE(0);
    case 'double':
      return r.bytes(8).readDoubleLE(0);
    case 'bytes':
      return r.bytes(r.size()).toString('base64');
    case 'string':
      return r.bytes(r.size()).toString('utf8');
    case 'fixed':
      return r.bytes(t.size).toString('base64');
    case 'decimal':
      return decimalText(t.of.type === 'fixed' ? r.bytes(t.of.size) : r.bytes(r.size()), t.scale);
    case 'enum': {
      const i = Number(r.long());
      const symbol = t.symbols[i];
      if (symbol === undefined) throw new Error(`enum ${t.name} has no symbol ${i}`);
      return symbol;
    }
    case 'union': {
      const i = Number(r.long());
      const branch = t.branches[i];
      if (!branch) throw new Error(`union branch ${i} does not exist`);
      return read(branch, r);
    }
    case 'record': {
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[f.name] = read(f.type, r);
      return out;
    }
    case 'array':
    case 'map': {
      const items: unknown[] = [];
      const entries: Record<string, unknown> = {};
      for (;;) {
        let count = r.long();
        if (count === 0n) break;
        if (count < 0n) {
          count = -count;
          r.size(); // block size in bytes, only useful for skipping
        }
        for (let i = 0n; i < count; i++) {
          if (t.type === 'array') items.push(read(t.items, r));
          else entries[r.bytes(r.size()).toString('utf8')] = read(t.values, r);
        }
      }
      return t.type === 'array' ? items : entries;
    }
  }
}

/** Decodes one Avro-encoded datum; trailing bytes are an error (the schema does not match). */
export function decodeAvro(type: AvroType, data: Buffer): unknown {
  const r = new Reader(data);
  const value = read(type, r);
  if (r.offset !== data.length) throw new Error(`${data.length - r.offset} bytes left after the Avro datum`);
  return value;
}
