/** Types for scripts/elasticmq.mjs: ElasticMQ (SQS) from Maven Central jars, on 127.0.0.1 only. */
export declare const ELASTICMQ_VERSION: string;
export declare function ensureElasticMq(): Promise<string>;
export declare function startElasticMq(options?: { port?: number }): Promise<{
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}>;
