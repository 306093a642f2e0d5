import type { KafkaMessage } from 'kafkajs';
import type { RawHeaderValue, RawRecord } from '../contract.js';

/**
 * One message of a fetched batch as a record: the offset (a decimal string, 64-bit safe) is its
 * id, the broker's timestamp (a decimal string in kafkajs) its time, key, headers and value bytes
 * as kafkajs hands them over.
 */
export function kafkaRecord(topic: string, partition: number, message: KafkaMessage): RawRecord {
  return {
    channel: topic,
    partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    key: message.key,
    headers: (message.headers ?? {}) as Record<string, RawHeaderValue>,
    value: message.value,
  };
}
