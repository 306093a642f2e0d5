import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { startKafka } from '../../scripts/kafka.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    kafkaVersion: string;
    /** The same broker's SASL_SSL listener (PLAIN, SCRAM-SHA-256/512), its certificate and a user. */
    kafkaSecure: { brokers: string; ca: string; username: string; password: string };
  }
}

/**
 * One real Kafka broker (KRaft) for the whole integration run, with a plaintext listener and a
 * SASL_SSL one; stopped and deleted afterwards. FLOWSCOPE_KAFKA_VERSION picks the version (3.9.1
 * for the compatibility run).
 */
export default async function setup(project: TestProject) {
  const user = { name: 'flowscope-it', password: randomBytes(12).toString('base64url') };
  const kafka = await startKafka({ props: { 'offsets.topic.num.partitions': 1 }, saslUsers: [user] });
  if (!kafka.saslSsl) throw new Error('the SASL_SSL listener did not start');
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('kafkaVersion', kafka.version);
  project.provide('kafkaSecure', { ...kafka.saslSsl, username: user.name, password: user.password });
  return async () => {
    await kafka.stop();
  };
}
