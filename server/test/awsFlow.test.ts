import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTopicCommand, DeleteTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { FlowSummary, SourceStatus } from '@flowscope/shared';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createQueue, deleteQueues, elasticMq, fauxqs, snsOf, sqsOf, tapQueues, unique } from './awsBroker.js';
import { eventually } from './helpers.js';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-aws-flow-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const TOKEN = 'aws-flow-test-token-0123456789';

/** The real CLI in a child process, logging everything, so its output can be searched for secrets. */
async function startCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'src/main.ts', '--port', '0', ...args],
    {
      cwd: serverDir,
      env: { ...process.env, ...env, FLOWSCOPE_TOKEN: TOKEN, FLOWSCOPE_LOG_LEVEL: 'trace', NODE_ENV: 'production' },
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const url = await eventually(() => /Open (http:\/\/[^/]+)\//.exec(output)?.[1], 30_000, `CLI start:\n${output}`);
  const get = async (path: string) =>
    (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { get, stop, output: () => output };
}

describe('AWS beside Kafka in one Flowscope', () => {
  it('joins an order that crosses Kafka and SNS into one flow, reads a second named account beside it; the AWS keys never reach the API or the logs', async () => {
    const id = unique();
    const order = `ORD-${id}`;
    const kafkaTopic = `orders-${id}`;
    const brokers = inject('kafkaBrokers');
    const kafka = new Kafka({ clientId: 'aws-flow', brokers: [brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: kafkaTopic }], waitForLeaders: true });
    await admin.disconnect();
    const sns = snsOf(fauxqs());
    const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: `payments-${id}` }));

    const second = sqsOf(elasticMq());
    const refunds = await createQueue(second, `refunds-${id}`);
    const secret = `aws-secret-${id}-do-not-show`;
    const keyId = `AKIAFLOW${id.toUpperCase()}`;
    const config = join(scratch, 'flowscope.yaml');
    writeFileSync(
      config,
      [
        'aws:',
        '  - name: emulator',
        '    region: us-east-1',
        `    endpoint: ${fauxqs()}`,
        '    accessKeyId: { env: FS_TEST_AWS_KEY }',
        '    secretAccessKey: { env: FS_TEST_AWS_SECRET }',
        `    topics: [payments-${id}]`,
        '    queues: []',
        // A second account and region, named: its queues on the map only.
        '  - name: second',
        '    region: eu-west-1',
        `    endpoint: ${elasticMq()}`,
        '    accessKeyId: { env: FS_TEST_AWS_KEY }',
        '    secretAccessKey: { env: FS_TEST_AWS_SECRET }',
        `    queues: [refunds-${id}]`,
        '    refresh: 1s',
        '',
      ].join('\n'),
    );
    const cli = await startCli(['--config', config, '--kafka', brokers, '--topics', kafkaTopic, '--no-store'], {
      FS_TEST_AWS_KEY: keyId,
      FS_TEST_AWS_SECRET: secret,
    });
    let seen = '';
    try {
      await eventually(
        async () => {
          const { sources } = JSON.parse(await cli.get('/api/health')) as { sources: SourceStatus[] };
          return sources.length === 3 && sources.every((s) => s.state === 'connected') ? true : undefined;
        },
        30_000,
        'both sources connected',
      );
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: kafkaTopic,
        messages: [{ value: JSON.stringify({ orderId: order, step: 'placed' }) }],
      });
      await producer.disconnect();
      await sns.send(
        new PublishCommand({
          TopicArn,
          Message: JSON.stringify({ orderId: order, amount: 42 }),
          MessageAttributes: { 'ce-type': { DataType: 'String', StringValue: 'payment.captured' } },
        }),
      );
      const flows = await eventually(
        async () => {
          const body = JSON.parse(await cli.get(`/api/flows?key=${order}`)) as { flows: FlowSummary[] };
          return body.flows.length === 1 && body.flows[0]?.eventCount === 2 ? body.flows : undefined;
        },
        30_000,
        'one flow of two events',
      );
      const flow = JSON.parse(await cli.get(`/api/flows/${encodeURIComponent(flows[0]?.id ?? '')}`)) as {
        events: { source: { broker: string }; channel: string; type?: string }[];
      };
      expect(flow.events.map((e) => [e.source.broker, e.channel]).sort()).toEqual([
        ['kafka', kafkaTopic],
        ['sqs', `sns:payments-${id}`],
      ]);
      expect(flow.events.find((e) => e.source.broker === 'sqs')?.type).toBe('payment.captured');
      seen += JSON.stringify(flow);
      const queue = await eventually(
        async () => {
          const { consumers } = JSON.parse(await cli.get('/api/consumers')) as {
            consumers: { source: string; id: string }[];
          };
          return consumers.find((c) => c.id === `refunds-${id}`);
        },
        30_000,
        "the second account's queue",
      );
      expect(queue.source).toBe('sqs:second');
      for (const path of ['/api/health', '/api/events', '/api/topology', '/api/consumers', '/api/export/asyncapi'])
        seen += await cli.get(path);
    } finally {
      await cli.stop();
    }
    seen += cli.output();
    expect(seen).toContain(order);
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain(keyId);
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: fauxqs(),
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    expect(await tapQueues(sqs)).toEqual([]);
    sqs.destroy();
    await deleteQueues(second, [refunds.url]);
    second.destroy();
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    sns.destroy();
  });
});
