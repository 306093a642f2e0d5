import protobuf from 'protobufjs';

/**
 * Protobuf decoding by interpreting the wire format against the schema's reflection (protobufjs
 * parses the .proto text; its generated decoders are never used, so no schema becomes code).
 * Output follows the proto3 JSON mapping loosely: field names as declared, enums as names,
 * 64-bit integers beyond 2^53 as strings, bytes as base64; unknown fields are kept by number.
 */
export type ProtoSchema = { readonly root: protobuf.Root; readonly messages: readonly protobuf.Type[] };

/** Parses .proto text; `messages` are the file's top-level messages in declaration order. */
export function parseProto(text: string): ProtoSchema {
  const parsed = protobuf.parse(text, { keepCase: true });
  const root = parsed.root;
  root.resolveAll();
  const scope = parsed.package ? root.lookup(parsed.package) : root;
  const messages =
    scope && 'nestedArray' in scope
      ? (scope as protobuf.Namespace).nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type)
      : [];
  return { root, messages };
}

/** The message type a Confluent message-index path names: [0] is the first top-level message. */
export function messageAt(schema: ProtoSchema, indexes: readonly number[]): protobuf.Type {
  let type = schema.messages[indexes[0] ?? 0];
  for (const i of indexes.slice(1)) {
    const nested: protobuf.Type[] = (type?.nestedArray ?? []).filter(
      (n): n is protobuf.Type => n instanceof protobuf.Type,
    );
    type = nested[i];
  }
  if (!type) throw new Error(`no message at index path [${indexes.join(', ')}]`);
  return type;
}

class Wire {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly end = buf.length,
  ) {}

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Error(`protobuf data ends inside a varint at byte ${this.pos}`);
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('protobuf varint longer than 10 bytes');
    }
  }

  take(n: number): Buffer {
    if (n < 0 || this.pos + n > this.end) throw new Error(`protobuf field of ${n} bytes runs past the end`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

const safe = (v: bigint): number | string =>
  v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
const signed64 = (v: bigint) => BigInt.asIntN(64, v);
const zigzag = (v: bigint) => (v >> 1n) ^ -(v & 1n);

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool', 'enum']);

function scalarFromVarint(type: string, v: bigint, field: protobuf.Field): unknown {
  switch (type) {
    case 'int32':
      return Number(BigInt.asIntN(32, v));
    case 'uint32':
      return Number(BigInt.asUintN(32, v));
    case 'int64':
      return safe(signed64(v));
    case 'uint64':
      return safe(BigInt.asUintN(64, v));
    case 'sint32':
    case 'sint64':
      return safe(zigzag(v));
    case 'bool':
      return v !== 0n;
    default: {
      const e = field.resolvedType;
      if (e instanceof protobuf.Enum) return e.valuesById[Number(v)] ?? Number(v);
      return safe(v);
    }
  }
}

function fixed(type: string, b: Buffer): unknown {
  switch (type) {
    case 'fixed32':
      return b.readUInt32LE(0);
    case 'sfixed32':
      return b.readInt32LE(0);
    case 'float':
      return b.readFloatLE(0);
    case 'fixed64':
      return safe(b.readBigUInt64LE(0));
    case 'sfixed64':
      return safe(b.readBigInt64LE(0));
    case 'double':
      return b.readDoubleLE(0);
    default:
      return b.toString('hex');
  }
}

function fieldType(field: protobuf.Field): string {
  return field.resolvedType instanceof protobuf.Enum ? 'enum' : field.type;
}

function readValue(field: protobuf.Field, wireType: number, w: Wire, depth: number): unknown[] {
  const type = fieldType(field);
  if (wireType === 0) return [scalarFromVarint(type, w.varint(), field)];
  if (wireType === 1) return [fixed(type, w.take(8))];
  if (wireType === 5) return [fixed(type, w.take(4))];
  if (wireType !== 2) throw new Error(`unsupported wire type ${wireType} for field ${field.name}`);
  const bytes = w.take(Number(w.varint()));
  if (type === 'string') return [bytes.toString('utf8')];
  if (type === 'bytes') return [bytes.toString('base64')];
  if (field.resolvedType instanceof protobuf.Type) return [decodeMessage(field.resolvedType, bytes, depth + 1)];
  // A packed repeated scalar.
  const packed = new Wire(bytes);
  const out: unknown[] = [];
  while (packed.pos < packed.end) {
    if (VARINT_TYPES.has(type)) out.push(scalarFromVarint(type, packed.varint(), field));
    else if (['fixed64', 'sfixed64', 'double'].includes(type)) out.push(fixed(type, packed.take(8)));
    else out.push(fixed(type, packed.take(4)));
  }
  return out;
}

function skip(wireType: number, w: Wire): unknown {
  if (wireType === 0) return safe(w.varint());
  if (wireType === 1) return w.take(8).toString('hex');
  if (wireType === 5) return w.take(4).toString('hex');
  if (wireType === 2) return w.take(Number(w.varint())).toString('base64');
  throw new Error(`unsupported wire type ${wireType}`);
}

/** Decodes one message of `type` from `data`. Throws with the byte position when it does not fit. */
export function decodeMessage(type: protobuf.Type, data: Buffer, depth = 0): Record<string, unknown> {
  if (depth > 64) throw new Error('protobuf messages nested deeper than 64');
  const out: Record<string, unknown> = {};
  const unknown: Record<string, unknown[]> = {};
  const w = new Wire(data);
  while (w.pos < w.end) {
    const tag = w.varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    const field = type.fieldsById[number];
    if (!field) {
      (unknown[String(number)] ??= []).push(skip(wireType, w));
      continue;
    }
    if (field.map) {
      const entry = new Wire(w.take(Number(w.varint())));
      let key: unknown = '';
      let value: unknown = null;
      const mapField = field as unknown as protobuf.MapField;
      while (entry.pos < entry.end) {
        const t = entry.varint();
        const n = Number(t >> 3n);
        const wt = Number(t & 7n);
        if (n === 1) {
          const keyField = { type: mapField.keyType, resolvedType: null, name: 'key' } as unknown as protobuf.Field;
          key = readValue(keyField, wt, entry, depth)[0];
        } else if (n === 2) value = readValue(field, wt, entry, depth)[0];
        else skip(wt, entry);
      }
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      map[String(key)] = value;
      continue;
    }
    const values = readValue(field, wireType, w, depth);
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(...values);
    else out[field.name] = values[values.length - 1];
  }
  if (Object.keys(unknown).length > 0) out._unknownFields = unknown;
  return out;
}

/** Confluent's message-index prefix: a zigzag count, then that many zigzag indexes; `0` alone means [0]. */
export function readMessageIndexes(data: Buffer): { indexes: number[]; rest: Buffer } {
  const w = new Wire(data);
  const count = Number(zigzag(w.varint()));
  if (count < 0 || count > 64) throw new Error(`message-index count ${count} is impossible`);
  const indexes = count === 0 ? [0] : Array.from({ length: count }, () => Number(zigzag(w.varint())));
  return { indexes, rest: data.subarray(w.pos) };
}
