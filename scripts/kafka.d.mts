/** Types for scripts/kafka.mjs: a real single-node KRaft broker from Maven Central jars. */
export declare const DEFAULT_KAFKA_VERSION: string;
export declare function kafkaCacheDir(version?: string): string;
export declare function ensureKafka(version?: string): Promise<string>;
export type RunningKafka = {
  readonly brokers: string;
  readonly port: number;
  readonly version: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly startupMs: number;
  /** With `saslUsers`: the SASL_SSL listener and the certificate (PEM) to trust. */
  readonly saslSsl?: { readonly brokers: string; readonly ca: string };
  stop(options?: { keepData?: boolean }): Promise<void>;
};
export declare function startKafka(options?: {
  version?: string;
  port?: number;
  dataDir?: string;
  props?: Record<string, string | number | boolean>;
  timeoutMs?: number;
  saslUsers?: readonly { name: string; password: string }[];
}): Promise<RunningKafka>;
export declare function produceWithJava(options: {
  brokers: string;
  topic: string;
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  records: readonly { key?: string; value: string }[];
  clientProps?: Record<string, string>;
  version?: string;
}): Promise<number>;
