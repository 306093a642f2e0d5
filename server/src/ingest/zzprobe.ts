export * as k from '../sources/kafka/kafkaSource.js';
