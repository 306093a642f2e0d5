import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishBatchCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect } from 'vitest';
import type { EventSource, SourceSink } from '../src/sources/contract.js';
import type { AwsSource } from '../src/sources/aws/awsSource.js';
import { awsSource, fauxqs, snsOf, sqsOf, tapQueues, unique } from './awsBroker.js';
import { describeEventSource } from './eventSourceContract.js';
import { freePort, tcpForwarder } from './helpers.js';

let sns: SNSClient;
let sqs: SQSClient;
const topics: string[] = [];

beforeAll(() => {
  sns = snsOf(fauxqs());
  sqs = sqsOf(fauxqs());
});
afterAll(async () => {
  for (const TopicArn of topics) await sns.send(new DeleteTopicCommand({ TopicArn })).catch(() => undefined);
  sns.destroy();
  sqs.destroy();
});

async function topic() {
  const name = `contract-${unique()}`;
  const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: name }));
  topics.push(TopicArn);
  return { name, TopicArn };
}

const tapped = async (TopicArn: string) =>
  ((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions ?? []).some((s) =>
    s.Endpoint?.split(':').pop()?.startsWith('flowscope-tap-'),
  );

async function publish(TopicArn: string, count: number) {
  for (let i = 0; i < count; i += 10) {
    const n = Math.min(10, count - i);
    await sns.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: Array.from({ length: n }, (_, j) => ({ Id: String(j), Message: `{"n":${i + j}}` })),
      }),
    );
  }
}

/** The AWS source, with whether it was stopped (messages fed after that go nowhere, at once). */
function tracked(inner: AwsSource): EventSource & { stopped: boolean } {
  const t = {
    id: inner.id,
    broker: inner.broker,
    cluster: inner.cluster,
    target: inner.target,
    stopped: false,
    start: (sink: SourceSink) => inner.start(sink),
    stop: () => ((t.stopped = true), inner.stop()),
    leftovers: () => inner.leftovers(),
  };
  return t;
}

describeEventSource({
  name: 'aws (SNS on fauxqs)',
  make: async () => {
    const { name, TopicArn } = await topic();
    const inner = awsSource(fauxqs(), { topics: [name] });
    const source = tracked(inner);
    return {
      source,
      // SNS delivers to a subscription only what is published after it: messages fed before the
      // tap subscribed are published once it has (a stopped tap gets them at once: they go nowhere).
      feed: async (count) => {
        const when = async () => {
          for (let i = 0; i < 150 && !source.stopped && !(await tapped(TopicArn)); i++)
            await new Promise((r) => setTimeout(r, 200));
        };
        void when()
          .then(() => publish(TopicArn, count))
          .catch(() => undefined);
      },
      ownPayloadsBecause:
        'SNS carries text only: a Message is a UTF-8 string and an empty one is refused, so binary, invalid UTF-8 and empty payloads cannot be published (the envelope keeps the Message as it was)',
      noHistoryBecause:
        "SNS keeps no history: the tap gets what is published while its queue is subscribed; the window Flowscope was not running is the plugin's downtime gap",
      readOnly: {
        rule: 'messages are received and deleted only on its own flowscope-tap- queue (every such call is checked by queue name before it is sent); after stop neither that queue nor its subscription is left',
        check: async () => {
          expect(inner.touchedQueues().every((u) => u.endsWith(`/${inner.tapName}`))).toBe(true);
          expect(await tapQueues(sqs)).not.toContain(inner.tapName);
          expect(await tapped(TopicArn)).toBe(false);
        },
      },
    };
  },
  unreachable: async () => {
    const { name } = await topic();
    const port = await freePort();
    const proxy = tcpForwarder(port, fauxqs().replace('http://', ''));
    const source = awsSource(`http://127.0.0.1:${port}`, { topics: [name] });
    return { source, bringBack: proxy.open, cleanup: proxy.close };
  },
});
