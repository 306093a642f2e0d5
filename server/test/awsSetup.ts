import type { TestProject } from 'vitest/node';
import { startElasticMq } from '../../scripts/elasticmq.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** ElasticMQ (SQS), http://127.0.0.1:<port>. */
    elasticMqEndpoint: string;
    /** fauxqs (SNS with SQS), http://127.0.0.1:<port>. */
    fauxqsEndpoint: string;
  }
}

/**
 * The AWS emulators the AWS files run against, both on 127.0.0.1 only: ElasticMQ from Maven
 * Central (its config file binds it there), and fauxqs, whose own `startFauxqs` listens on
 * 0.0.0.0, so its app is built here and listened on 127.0.0.1.
 */
export default async function setup(project: TestProject) {
  const elasticMq = await startElasticMq();
  const fauxqs = await import('fauxqs');
  const app = fauxqs.buildApp({ logger: false, defaultRegion: 'us-east-1' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  project.provide('elasticMqEndpoint', elasticMq.endpoint);
  project.provide('fauxqsEndpoint', address.replace('localhost', '127.0.0.1'));
  return async () => {
    await app.close();
    await elasticMq.stop();
  };
}
