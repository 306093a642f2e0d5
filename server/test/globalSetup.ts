import type { TestProject } from 'vitest/node';
import { startKafka } from '../../scripts/kafka.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

/** One real Kafka broker (KRaft) for the whole integration run; stopped and deleted afterwards. */
export default async function setup(project: TestProject) {
  const kafka = await startKafka({ props: { 'offsets.topic.num.partitions': 1 } });
  project.provide('kafkaBrokers', kafka.brokers);
  return async () => {
    await kafka.stop();
  };
}
