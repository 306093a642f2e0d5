import type { RawHeaderValue, RawRecord } from '../contract.js';
import { ackKind, type AckSubject } from './subjects.js';

/** The part of nats.js's `MsgHdrs` read here. */
export type Headers = { keys(): string[]; values(key: string): string[] };

/** A message as a core subscription or a stream read hands it over. */
export type NatsMessage = {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: Headers | undefined;
  readonly reply?: string | undefined;
};

/** A message read from a stream, with its sequence and store time. */
export type StoredMessage = NatsMessage & { readonly seq: number; readonly timestamp: number };

/** NATS headers as raw headers: names as sent (`Nats-Msg-Id`, `traceparent`, `ce-type`), repeated values as arrays. */
function headersOf(h: Headers | undefined): Record<string, RawHeaderValue> {
  const out: Record<string, RawHeaderValue> = {};
  for (const key of h?.keys() ?? []) {
    const values = h?.values(key) ?? [];
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

const valueOf = (data: Uint8Array) => (data.length > 0 ? data : null);

/**
 * A message of a core subscription: the channel is its subject. Core NATS keeps nothing and has
 * no id, so the id is unique per tap (`prefix-n`) and the time is when it arrived.
 */
export function coreRecord(m: NatsMessage, messageId: string, now: number): RawRecord {
  const headers = headersOf(m.headers);
  // A request: who waits for the reply (reply subjects are hidden as _INBOX internals).
  if (m.reply) headers['nats.reply'] = m.reply;
  return { channel: m.subject, messageId, timestamp: now, headers, value: valueOf(m.data) };
}

/**
 * A stream's message: the channel is the stream (consumers read streams), its sequence the offset
 * (the same message read again is the same event) and its subject the key, as a routing key is.
 */
export function streamRecord(stream: string, m: StoredMessage): RawRecord {
  return {
    channel: stream,
    offset: String(m.seq),
    timestamp: m.timestamp,
    key: m.subject,
    headers: headersOf(m.headers),
    value: valueOf(m.data),
  };
}

/**
 * A KV bucket's change as state: channel `kv:<bucket>`, the KV key as key, the revision (stream
 * sequence) as offset, and the operation (PUT, DEL, PURGE) in the `nats.kv-operation` header.
 */
export function kvRecord(bucket: string, m: StoredMessage): RawRecord {
  const headers = headersOf(m.headers);
  const op = headers['KV-Operation'];
  delete headers['KV-Operation'];
  headers['nats.kv-operation'] = typeof op === 'string' ? op : 'PUT';
  const prefix = `$KV.${bucket}.`;
  return {
    channel: `kv:${bucket}`,
    offset: String(m.seq),
    timestamp: m.timestamp,
    key: m.subject.startsWith(prefix) ? m.subject.slice(prefix.length) : m.subject,
    headers,
    value: valueOf(m.data),
  };
}

/** The event id ingest gives a stream's message (`broker/cluster/channel/partition/offset`). */
export const streamEventId = (cluster: string, stream: string, seq: number) => `nats/${cluster}/${stream}/0/${seq}`;

/**
 * A consumer's acknowledgement seen on `$JS.ACK.…` (opt-in): an event on channel
 * `$JS.ACK.<stream>.<consumer>` whose causation id is the acknowledged message's event id, so it
 * joins that message's flow and says which consumer took it, how often it was delivered, and
 * whether it acknowledged, refused (`nak`, `term`) or asked for more time (`progress`).
 */
export function ackRecord(ack: AckSubject, body: Uint8Array, cluster: string, messageId: string, now: number) {
  const kind = ackKind(Buffer.from(body).toString('utf8'));
  const record: RawRecord = {
    channel: `$JS.ACK.${ack.stream}.${ack.consumer}`,
    messageId,
    timestamp: now,
    headers: {
      'causation-id': streamEventId(cluster, ack.stream, ack.streamSeq),
      type: `jetstream.${kind}`,
      'nats.ack': kind,
      'nats.consumer': ack.consumer,
      'nats.stream': ack.stream,
      'nats.stream-seq': String(ack.streamSeq),
      'nats.delivered': String(ack.delivered),
      'nats.pending': String(ack.pending),
    },
    value: valueOf(body),
  };
  return record;
}
