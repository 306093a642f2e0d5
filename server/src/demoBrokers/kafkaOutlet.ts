import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { KafkaMessage } from './messages.js';

const PARTITIONS = 3;

/** The shop's producer on Kafka: its topics created when missing, records keyed by order id. */
export class KafkaOutlet {
  private constructor(private readonly producer: Producer) {}

  static async open(brokers: string, topics: readonly string[]): Promise<KafkaOutlet> {
    const kafka = new Kafka({
      clientId: 'flowscope-demo-shop',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { retries: 3 },
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length > 0)
        await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: PARTITIONS })) });
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    return new KafkaOutlet(producer);
  }

  async publish(topic: string, message: KafkaMessage): Promise<void> {
    await this.producer.send({ topic, messages: [message] });
  }

  /** Topics stay: the demo's Kafka is its own, and goes when it stops. */
  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
