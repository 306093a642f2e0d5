import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { inject } from 'vitest';
import { rootLogger } from '../src/log.js';
import { AwsSource, type AwsSourceOptions } from '../src/sources/aws/awsSource.js';

/** Keys the emulators accept; tests also check that they never show. */
export const KEYS = { accessKeyId: 'AKIAFLOWSCOPETEST', secretAccessKey: 'emulator-secret-do-not-show' } as const;
const client = { region: 'us-east-1', credentials: KEYS };

export const elasticMq = () => inject('elasticMqEndpoint');
export const fauxqs = () => inject('fauxqsEndpoint');
export const sqsOf = (endpoint: string) => new SQSClient({ ...client, endpoint });
export const snsOf = (endpoint: string) => new SNSClient({ ...client, endpoint });
export const unique = () => randomBytes(4).toString('hex');

export function awsSource(endpoint: string, options: Partial<AwsSourceOptions> = {}) {
  return new AwsSource(
    {
      cluster: 'test',
      region: 'us-east-1',
      ...KEYS,
      endpoint,
      queues: [],
      topics: [],
      buses: [],
      waitSeconds: 1,
      ...options,
    },
    rootLogger,
  );
}

export async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: String(QueueUrl), AttributeNames: ['QueueArn'] }),
  );
  return { url: String(QueueUrl), arn: String(Attributes?.QueueArn) };
}

/** Queues named like Flowscope's: none may be left after a stop. */
export async function tapQueues(sqs: SQSClient): Promise<string[]> {
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'flowscope-tap-' }));
  return QueueUrls.map((u) => u.split('/').pop() ?? '');
}

export async function deleteQueues(sqs: SQSClient, urls: readonly string[]) {
  for (const QueueUrl of urls) await sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined);
}
