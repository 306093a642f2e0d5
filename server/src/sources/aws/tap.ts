import type { Logger } from 'pino';
import { ALIVE_TAG, TAP_PREFIX, TAP_TAG, type AwsApi } from './clients.js';
import { arnName } from './envelopes.js';
import { listQueueUrls } from './inventory.js';

/** One of Flowscope's own queues: the SNS tap's, or one bus's (the envelope does not name its bus). */
export type TapQueue = { readonly url: string; readonly arn: string; readonly name: string; readonly bus?: string };

/** Matches every event on a bus (`"*"` is not a valid pattern; an empty prefix matches any source). */
const EVERY_EVENT = '{"source":[{"prefix":""}]}';
const TARGET_ID = 'flowscope-tap';

const policy = (queueArn: string, service: string, sourceArns: readonly string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'flowscope-tap',
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': [...sourceArns] } },
      },
    ],
  });

/**
 * Flowscope's resources on one account: its own queues, its SNS subscriptions (raw delivery off,
 * so the envelope stays) and its EventBridge rules (every event, one target: its queue). All named
 * `flowscope-tap-<id>…`, queues and rules tagged; `remove` deletes them all, `leftovers` names
 * what a failed removal left.
 */
export class Tap {
  readonly queues: TapQueue[] = [];
  private readonly subscriptions: string[] = [];
  private readonly rules: { bus: string; name: string }[] = [];

  constructor(
    private readonly api: AwsApi,
    readonly name: string,
    private readonly log: Logger,
  ) {}

  private tags(now: number) {
    return { [TAP_TAG]: this.name, [ALIVE_TAG]: String(now) };
  }

  private async queue(name: string, now: number, bus?: string): Promise<TapQueue> {
    const { CreateQueueCommand, GetQueueAttributesCommand } = this.api.sqsModule;
    const created = await this.api.call<{ QueueUrl?: string }>(
      'sqs',
      new CreateQueueCommand({ QueueName: name, Attributes: { MessageRetentionPeriod: '3600' }, tags: this.tags(now) }),
    );
    const url = String(created.QueueUrl);
    const attrs = await this.api.call<{ Attributes?: Record<string, string> }>(
      'sqs',
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    const q = { url, name, arn: String(attrs.Attributes?.QueueArn), ...(bus !== undefined ? { bus } : {}) };
    this.queues.push(q);
    return q;
  }

  private async allow(q: TapQueue, service: string, sourceArns: readonly string[]) {
    const { SetQueueAttributesCommand } = this.api.sqsModule;
    await this.api.call(
      'sqs',
      new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: policy(q.arn, service, sourceArns) } }),
    );
  }

  /** The SNS tap: one queue that admits only the tapped topics, subscribed to each with raw delivery off. */
  async tapTopics(topicArns: readonly string[], now: number) {
    if (topicArns.length === 0) return;
    const q = await this.queue(this.name, now);
    await this.allow(q, 'sns.amazonaws.com', topicArns);
    const { SubscribeCommand } = this.api.snsModule;
    for (const TopicArn of topicArns) {
      const sub = await this.api.call<{ SubscriptionArn?: string }>(
        'sns',
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: q.arn,
          Attributes: { RawMessageDelivery: 'false' },
          ReturnSubscriptionArn: true,
        }),
      );
      if (sub.SubscriptionArn) this.subscriptions.push(sub.SubscriptionArn);
      this.log.info({ topic: arnName(TopicArn), queue: q.name }, `tapping SNS topic ${arnName(TopicArn)}`);
    }
  }

  /** One bus: a queue of its own, a rule matching every event, the queue as its only target. Never StartReplay. */
  async tapBus(bus: string, index: number, now: number) {
    const name = `${this.name}-bus${index}`;
    const q = await this.queue(name, now, bus);
    const { PutRuleCommand, PutTargetsCommand } = this.api.eventsModule;
    const rule = await this.api.call<{ RuleArn?: string }>(
      'events',
      new PutRuleCommand({
        Name: name,
        EventBusName: bus,
        EventPattern: EVERY_EVENT,
        State: 'ENABLED',
        Description: 'Flowscope tap: a copy of every event to its own queue; removed when Flowscope stops',
        Tags: Object.entries(this.tags(now)).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    this.rules.push({ bus, name });
    await this.allow(q, 'events.amazonaws.com', [String(rule.RuleArn)]);
    await this.api.call(
      'events',
      new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: TARGET_ID, Arn: q.arn }] }),
    );
    this.log.info({ bus, rule: name }, `tapping EventBridge bus ${bus}`);
  }

  /** Says it is alive, so another Flowscope's start does not take its resources for a crash's. */
  async heartbeat(now: number) {
    const { TagQueueCommand } = this.api.sqsModule;
    for (const q of this.queues)
      await this.api.call('sqs', new TagQueueCommand({ QueueUrl: q.url, Tags: { [ALIVE_TAG]: String(now) } }));
  }

  /** Removes everything it created; what fails stays in `leftovers`. */
  async remove() {
    const { UnsubscribeCommand } = this.api.snsModule;
    const { RemoveTargetsCommand, DeleteRuleCommand } = this.api.eventsModule;
    const { DeleteQueueCommand } = this.api.sqsModule;
    const attempt = async (what: string, f: () => Promise<unknown>) =>
      f().then(
        () => true,
        (err: unknown) => {
          this.log.warn({ err: err instanceof Error ? err.message : String(err) }, `could not remove ${what}`);
          return false;
        },
      );
    for (const arn of [...this.subscriptions]) {
      if (await attempt(arn, () => this.api.call('sns', new UnsubscribeCommand({ SubscriptionArn: arn }))))
        this.subscriptions.splice(this.subscriptions.indexOf(arn), 1);
    }
    for (const r of [...this.rules]) {
      const ok = await attempt(`rule ${r.name}`, async () => {
        await this.api.call(
          'events',
          new RemoveTargetsCommand({ Rule: r.name, EventBusName: r.bus, Ids: [TARGET_ID] }),
        );
        await this.api.call('events', new DeleteRuleCommand({ Name: r.name, EventBusName: r.bus }));
      });
      if (ok) this.rules.splice(this.rules.indexOf(r), 1);
    }
    for (const q of [...this.queues]) {
      if (await attempt(`queue ${q.name}`, () => this.api.call('sqs', new DeleteQueueCommand({ QueueUrl: q.url }))))
        this.queues.splice(this.queues.indexOf(q), 1);
    }
  }

  leftovers(): string[] {
    return [
      ...this.subscriptions.map((s) => `SNS subscription ${s}`),
      ...this.rules.map((r) => `EventBridge rule ${r.bus}/${r.name}`),
      ...this.queues.map((q) => `SQS queue ${q.name}`),
    ];
  }
}

/**
 * Removes what a crashed Flowscope left: its queues (named `flowscope-tap-…` and tagged, with no
 * sign of life for `staleMs`), their subscriptions on the tapped topics, and rules on the tapped
 * buses that only target such queues. Another running Flowscope's resources are left alone.
 */
export async function removeLeftovers(
  api: AwsApi,
  where: { topicArns: readonly string[]; buses: readonly string[] },
  staleMs: number,
  now: number,
  log: Logger,
): Promise<string[]> {
  const { ListQueueTagsCommand, DeleteQueueCommand } = api.sqsModule;
  const removed: string[] = [];
  const live = new Set<string>();
  for (const url of await listQueueUrls(api, TAP_PREFIX)) {
    const name = url.split('/').pop() ?? '';
    const { Tags } = await api.call<{ Tags?: Record<string, string> }>(
      'sqs',
      new ListQueueTagsCommand({ QueueUrl: url }),
    );
    if (!Tags?.[TAP_TAG]) continue;
    if (now - Number(Tags[ALIVE_TAG] ?? 0) < staleMs) {
      live.add(name);
      continue;
    }
    await api.call('sqs', new DeleteQueueCommand({ QueueUrl: url }));
    removed.push(`SQS queue ${name}`);
  }
  const isDead = (arn: string | undefined) => {
    const name = arnName(arn ?? '');
    return name.startsWith(TAP_PREFIX) && !live.has(name);
  };
  removed.push(...(await removeSubscriptions(api, where.topicArns, isDead)));
  removed.push(...(await removeRules(api, where.buses, isDead)));
  if (removed.length > 0) log.info({ removed }, `removed ${removed.length} leftovers of an earlier Flowscope`);
  return removed;
}

async function removeSubscriptions(api: AwsApi, topicArns: readonly string[], isDead: (arn?: string) => boolean) {
  const { ListSubscriptionsByTopicCommand, UnsubscribeCommand } = api.snsModule;
  const removed: string[] = [];
  for (const TopicArn of topicArns) {
    const { Subscriptions = [] } = await api.call<{
      Subscriptions?: { SubscriptionArn?: string; Protocol?: string; Endpoint?: string }[];
    }>('sns', new ListSubscriptionsByTopicCommand({ TopicArn }));
    for (const s of Subscriptions) {
      if (s.Protocol !== 'sqs' || !isDead(s.Endpoint) || !s.SubscriptionArn?.startsWith('arn:')) continue;
      await api.call('sns', new UnsubscribeCommand({ SubscriptionArn: s.SubscriptionArn }));
      removed.push(`SNS subscription of ${arnName(s.Endpoint ?? '')} to ${arnName(TopicArn)}`);
    }
  }
  return removed;
}

async function removeRules(api: AwsApi, buses: readonly string[], isDead: (arn?: string) => boolean) {
  const { ListRulesCommand, ListTargetsByRuleCommand, RemoveTargetsCommand, DeleteRuleCommand } = api.eventsModule;
  const removed: string[] = [];
  for (const EventBusName of buses) {
    const { Rules = [] } = await api.call<{ Rules?: { Name?: string }[] }>(
      'events',
      new ListRulesCommand({ EventBusName, NamePrefix: TAP_PREFIX }),
    );
    for (const { Name } of Rules) {
      if (!Name?.startsWith(TAP_PREFIX)) continue;
      const { Targets = [] } = await api.call<{ Targets?: { Id?: string; Arn?: string }[] }>(
        'events',
        new ListTargetsByRuleCommand({ Rule: Name, EventBusName }),
      );
      if (!Targets.every((t) => isDead(t.Arn))) continue;
      if (Targets.length > 0)
        await api.call(
          'events',
          new RemoveTargetsCommand({ Rule: Name, EventBusName, Ids: Targets.map((t) => String(t.Id)) }),
        );
      await api.call('events', new DeleteRuleCommand({ Name, EventBusName }));
      removed.push(`EventBridge rule ${EventBusName}/${Name}`);
    }
  }
  return removed;
}
