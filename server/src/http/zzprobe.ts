import type { Kafka } from 'kafkajs';
import type { Channel } from 'amqplib';
export type K = Kafka | Channel;
export * as s from '@flowscope/shared/src/index.js';
