import { globToRegExp, LAG_HISTORY_LIMIT, type ChannelLink, type Consumer } from '@flowscope/shared';
import type { Logger } from 'pino';
import type { ConsumerReading } from '../plugin.js';
import { TAP_PREFIX, type AwsApi } from './clients.js';
import { arnName, busChannel, topicChannel } from './envelopes.js';

/** Every queue URL (paged), optionally under a name prefix. */
export async function listQueueUrls(api: AwsApi, prefix?: string): Promise<string[]> {
  const { ListQueuesCommand } = api.sqsModule;
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await api.call<{ QueueUrls?: string[]; NextToken?: string }>(
      'sqs',
      new ListQueuesCommand({
        MaxResults: 1000,
        ...(prefix ? { QueueNamePrefix: prefix } : {}),
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return urls;
}

/** Every topic ARN (paged). */
export async function listTopicArns(api: AwsApi): Promise<string[]> {
  const { ListTopicsCommand } = api.snsModule;
  const arns: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await api.call<{ Topics?: { TopicArn?: string }[]; NextToken?: string }>(
      'sns',
      new ListTopicsCommand(NextToken ? { NextToken } : {}),
    );
    for (const t of page.Topics ?? []) if (t.TopicArn) arns.push(t.TopicArn);
    NextToken = page.NextToken;
  } while (NextToken);
  return arns;
}

/** Names matching any of the globs (or `/regex/`). */
export function matcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map((p) =>
    p.length > 2 && p.startsWith('/') && p.endsWith('/') ? new RegExp(p.slice(1, -1)) : globToRegExp(p),
  );
  return (name) => res.some((r) => r.test(name));
}

export type InventoryOptions = {
  readonly source: string;
  readonly cluster: string;
  readonly queues: readonly string[];
  readonly topics: readonly string[];
  readonly buses: readonly string[];
  readonly services?: Readonly<Record<string, string>>;
  /** Read the age of the oldest message from CloudWatch (off for an emulator without CloudWatch). */
  readonly ages?: boolean;
};

/** CloudWatch's `ApproximateAgeOfOldestMessage` of up to 500 queues, latest value in seconds. */
async function oldestAges(api: AwsApi, queues: readonly string[], now: number): Promise<Map<string, number>> {
  const { GetMetricDataCommand } = api.cloudWatchModule;
  const names = queues.slice(0, 500);
  if (names.length === 0) return new Map();
  const res = await api.call<{ MetricDataResults?: { Id?: string; Values?: number[] }[] }>(
    'cloudwatch',
    new GetMetricDataCommand({
      StartTime: new Date(now - 15 * 60_000),
      EndTime: new Date(now),
      ScanBy: 'TimestampDescending',
      MetricDataQueries: names.map((QueueName, i) => ({
        Id: `q${i}`,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/SQS',
            MetricName: 'ApproximateAgeOfOldestMessage',
            Dimensions: [{ Name: 'QueueName', Value: QueueName }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
    }),
  );
  const ages = new Map<string, number>();
  for (const r of res.MetricDataResults ?? []) {
    const name = names[Number((r.Id ?? '').slice(1))];
    const latest = r.Values?.[0];
    if (name !== undefined && typeof latest === 'number') ages.set(name, latest);
  }
  return ages;
}

const num = (v: string | undefined) => (v === undefined || v === '' ? 0 : Number(v));

/** The endpoint of a subscription or target as a name: a queue, a function, a host and path (never a query or user). */
export function endpointName(protocol: string, endpoint: string): string {
  if (protocol === 'http' || protocol === 'https') {
    try {
      const u = new URL(endpoint);
      return `${u.host}${u.pathname}`;
    } catch {
      return protocol;
    }
  }
  return endpoint.startsWith('arn:') ? arnName(endpoint).replace(/^function:/, '') : endpoint;
}

/**
 * The account's map, read only (no message is received, nothing is changed): application queues
 * with their approximate depth and in-flight count, dead-letter routes (`RedrivePolicy`,
 * `ListDeadLetterSourceQueues`) as links; each tapped topic's subscriptions as its consumers (and
 * SNS→SQS as links); each tapped bus's rules with their targets as consumers. Flowscope's own
 * `flowscope-tap-…` resources are left out. A part the credential may not read is skipped.
 */
export class Inventory {
  private readonly history = new Map<string, { at: number; lag: number }[]>();
  private deadLetterSources = true;
  /** When CloudWatch may be asked again after it failed (a credential without it, an outage). */
  private agesAfter = 0;

  constructor(
    private readonly options: InventoryOptions,
    private readonly log: Logger,
  ) {}

  async read(api: AwsApi, now: number): Promise<ConsumerReading> {
    const consumers: Consumer[] = [];
    const links: ChannelLink[] = [];
    await this.queues(api, now, consumers, links);
    if (this.options.topics.length > 0)
      await this.topics(api, now, consumers, links).catch((err: unknown) => this.skip('SNS topics', err));
    for (const bus of this.options.buses)
      await this.rules(api, bus, now, consumers, links).catch((err: unknown) => this.skip(`bus ${bus}`, err));
    const seen = new Set<string>();
    return {
      consumers,
      links: links.filter((l) => {
        const k = `${l.kind}\0${l.from}\0${l.to}`;
        return seen.has(k) ? false : (seen.add(k), true);
      }),
    };
  }

  private skip(what: string, err: unknown) {
    this.log.debug({ err: err instanceof Error ? err.message : String(err) }, `could not read ${what}`);
  }

  private base(kind: Consumer['kind'], id: string, service: string, now: number) {
    return {
      source: this.options.source,
      broker: 'sqs' as const,
      cluster: this.options.cluster,
      kind,
      id,
      service: this.options.services?.[service] ?? service,
      members: [],
      history: [],
      updatedAt: now,
    };
  }

  private link(from: string, to: string, kind: ChannelLink['kind'], label: string): ChannelLink {
    return { source: this.options.source, broker: 'sqs', cluster: this.options.cluster, from, to, kind, label };
  }

  private async queues(api: AwsApi, now: number, consumers: Consumer[], links: ChannelLink[]) {
    const { GetQueueAttributesCommand, ListDeadLetterSourceQueuesCommand } = api.sqsModule;
    const wanted = matcher(this.options.queues);
    const urls = (await listQueueUrls(api)).filter((u) => {
      const name = u.split('/').pop() ?? '';
      return !name.startsWith(TAP_PREFIX) && wanted(name);
    });
    const ages = await this.ages(api, urls, now);
    for (const url of urls) {
      const name = url.split('/').pop() ?? '';
      const { Attributes: a = {} } = await api.call<{ Attributes?: Record<string, string> }>(
        'sqs',
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
      );
      const depth = num(a.ApproximateNumberOfMessages);
      const inFlight = num(a.ApproximateNumberOfMessagesNotVisible);
      const history = [...(this.history.get(name) ?? []), { at: now, lag: depth }].slice(-LAG_HISTORY_LIMIT);
      this.history.set(name, history);
      consumers.push({
        ...this.base('queue', name, name, now),
        state: inFlight > 0 ? 'receiving' : depth > 0 ? 'waiting' : 'idle',
        // The age of the oldest message is a CloudWatch metric, not an SQS attribute: null without it.
        channels: [{ channel: name, lag: depth, lagSeconds: ages.get(name) ?? null, unacked: inFlight, rate: 0 }],
        lag: depth,
        history,
      });
      if (a.RedrivePolicy) {
        const redrive = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: unknown };
        if (redrive.deadLetterTargetArn)
          links.push(
            this.link(
              name,
              arnName(redrive.deadLetterTargetArn),
              'dead-letter',
              `maxReceiveCount=${String(redrive.maxReceiveCount)}`,
            ),
          );
      }
      if (!this.deadLetterSources) continue;
      const sources = await api
        .call<{ queueUrls?: string[] }>('sqs', new ListDeadLetterSourceQueuesCommand({ QueueUrl: url }))
        .catch((err: unknown) => {
          // An emulator without the call (fauxqs): RedrivePolicy alone draws the same edges.
          this.deadLetterSources = false;
          this.skip('dead-letter sources', err);
          return { queueUrls: [] };
        });
      for (const s of sources.queueUrls ?? []) links.push(this.link(s.split('/').pop() ?? '', name, 'dead-letter', ''));
    }
  }

  private async ages(api: AwsApi, urls: readonly string[], now: number): Promise<Map<string, number>> {
    if (!this.options.ages || now < this.agesAfter) return new Map();
    return oldestAges(
      api,
      urls.map((u) => u.split('/').pop() ?? ''),
      now,
    ).catch((err: unknown) => {
      this.agesAfter = now + 10 * 60_000;
      this.skip('the age of the oldest messages (CloudWatch)', err);
      return new Map<string, number>();
    });
  }

  private async topics(api: AwsApi, now: number, consumers: Consumer[], links: ChannelLink[]) {
    const { ListSubscriptionsByTopicCommand } = api.snsModule;
    const wanted = matcher(this.options.topics);
    for (const TopicArn of (await listTopicArns(api)).filter((t) => wanted(arnName(t)))) {
      const channel = topicChannel(arnName(TopicArn));
      const { Subscriptions = [] } = await api.call<{
        Subscriptions?: { SubscriptionArn?: string; Protocol?: string; Endpoint?: string }[];
      }>('sns', new ListSubscriptionsByTopicCommand({ TopicArn }));
      for (const s of Subscriptions) {
        const protocol = s.Protocol ?? '';
        const name = endpointName(protocol, s.Endpoint ?? '');
        if (name.startsWith(TAP_PREFIX)) continue;
        consumers.push({
          ...this.base('subscription', `${arnName(TopicArn)} → ${protocol}:${name}`, name, now),
          state: s.SubscriptionArn?.startsWith('arn:') ? 'confirmed' : (s.SubscriptionArn ?? 'unknown'),
          channels: [{ channel, lag: null, rate: 0 }],
          lag: null,
        });
        if (protocol === 'sqs') links.push(this.link(channel, name, 'binding', ''));
      }
    }
  }

  private async rules(api: AwsApi, bus: string, now: number, consumers: Consumer[], links: ChannelLink[]) {
    const { ListRulesCommand, ListTargetsByRuleCommand } = api.eventsModule;
    const channel = busChannel(bus);
    let NextToken: string | undefined;
    do {
      const page = await api.call<{
        Rules?: { Name?: string; State?: string; EventPattern?: string; ScheduleExpression?: string }[];
        NextToken?: string;
      }>('events', new ListRulesCommand({ EventBusName: bus, ...(NextToken ? { NextToken } : {}) }));
      for (const rule of page.Rules ?? []) {
        const name = rule.Name ?? '';
        if (!name || name.startsWith(TAP_PREFIX)) continue;
        const { Targets = [] } = await api.call<{ Targets?: { Arn?: string }[] }>(
          'events',
          new ListTargetsByRuleCommand({ Rule: name, EventBusName: bus }),
        );
        consumers.push({
          ...this.base('rule', `${bus}/${name}`, name, now),
          state: (rule.State ?? 'unknown').toLowerCase(),
          members: Targets.map((t) => ({ clientId: endpointName('arn', t.Arn ?? ''), host: '', assignments: [] })),
          channels: [{ channel, lag: null, rate: 0 }],
          lag: null,
        });
        for (const t of Targets) {
          const service = (t.Arn ?? '').split(':')[2];
          const label = rule.EventPattern ?? rule.ScheduleExpression ?? '';
          if (service === 'sqs') links.push(this.link(channel, arnName(t.Arn ?? ''), 'binding', label));
          if (service === 'sns') links.push(this.link(channel, topicChannel(arnName(t.Arn ?? '')), 'binding', label));
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
}
