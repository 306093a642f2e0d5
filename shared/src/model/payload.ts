import { z } from 'zod';

/**
 * How a payload's bytes were understood. `json` and `text` carry the UTF-8 text as received;
 * `binary` carries base64 of the bytes; `empty` is a zero-length (or absent) body.
 */
export const payloadEncodings = ['json', 'text', 'binary', 'empty'] as const;
export type PayloadEncoding = (typeof payloadEncodings)[number];

export const payloadSchema = z.object({
  encoding: z.enum(payloadEncodings),
  /** UTF-8 text for json/text, base64 for binary, '' for empty. Possibly truncated. */
  value: z.string(),
  /** Size of the original body in bytes, before any truncation. */
  size: z.number().int().nonnegative(),
  truncated: z.boolean(),
  /** Hex SHA-256 of the original body, so truncated payloads can still be compared. */
  sha256: z.string(),
  /** Why the payload is not what it claims to be, e.g. "invalid JSON at position 12". */
  note: z.string().optional(),
  /**
   * Set when the value was decoded with a schema (Avro, Protobuf, JSON Schema): `value` is then the
   * decoded JSON, and size/sha256 still describe the bytes as received.
   */
  schema: z
    .object({
      format: z.enum(['avro', 'protobuf', 'json-schema']),
      /** Confluent wire-format schema id, when the value carried one. */
      id: z.number().int().nonnegative().optional(),
      origin: z.enum(['registry', 'file']),
    })
    .optional(),
});
export type Payload = Readonly<z.infer<typeof payloadSchema>>;

/** A message key: UTF-8 text when it decodes cleanly, otherwise hex of its bytes. */
export const messageKeySchema = z.object({
  encoding: z.enum(['text', 'hex']),
  value: z.string(),
});
export type MessageKey = Readonly<z.infer<typeof messageKeySchema>>;
