import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventSource, RawRecord, SourceProblem, SourceSink } from '../contract.js';
import type { ConsumerReader } from '../plugin.js';
import { AwsApi, TAP_PREFIX, type AwsConnection } from './clients.js';
import { arnName, recordOf, type TapMessage } from './envelopes.js';
import { describeAwsError, isAccessDenied, TAP_ACTIONS } from './errors.js';
import { Inventory, listQueueUrls, listTopicArns, matcher } from './inventory.js';
import { removeLeftovers, Tap, type TapQueue } from './tap.js';

export type AwsSourceOptions = AwsConnection & {
  /** Name of this account and region in the UI and in event ids. */
  readonly cluster: string;
  /** Queues drawn on the map with their depths (globs or `/regex/`); never received from. */
  readonly queues: readonly string[];
  /** SNS topics to tap (names, globs or ARNs) through Flowscope's own subscribed queue. */
  readonly topics: readonly string[];
  /** EventBridge buses to tap through Flowscope's own rule and queue. */
  readonly buses: readonly string[];
  /** false: map only, nothing created (what a read-only credential gets anyway). */
  readonly tap?: boolean;
  /** Queue, endpoint or rule name → the service it is drawn as. */
  readonly services?: Readonly<Record<string, string>>;
  /** How often the map (queues, subscriptions, rules) is read, in ms; 0 turns it off (default 10 s). */
  readonly refreshMs?: number;
  /** Long-poll wait of the tap queues, in seconds (default 10). */
  readonly waitSeconds?: number;
  /** How often its queues say they are alive (default 60 s), and after how long without that a crash left them (default 5 min). */
  readonly heartbeatMs?: number;
  readonly leftoverAfterMs?: number;
};

const newTapName = () => `${TAP_PREFIX}${randomBytes(4).toString('hex')}`;

/** Waits, or less if the signal aborts; leaves no listener behind (the loop sleeps for hours). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * One AWS account and region. SQS queues of applications are never received from (every receive
 * counts toward their dead-lettering): they are read as depths and dead-letter routes only. SNS
 * topics are tapped through Flowscope's own queue subscribed with raw delivery off; EventBridge
 * buses through its own rule targeting its own queue; the only messages it receives and deletes
 * are in those queues. All it creates is removed on stop, and a crash's leftovers at the next start.
 */
export class AwsSource implements EventSource {
  readonly id: string;
  readonly broker = 'sqs' as const;
  readonly cluster: string;
  readonly target: string;
  /** The name of everything this run creates (a new one if its queue had to be made again). */
  tapName = newTapName();
  private api?: AwsApi;
  private sink?: SourceSink;
  private readonly taps: Tap[] = [];
  private tapped = false;
  private problem?: SourceProblem;
  private stopped = false;
  private stopping?: Promise<void>;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly abort = new AbortController();
  private inventory?: Inventory;

  constructor(
    private readonly options: AwsSourceOptions,
    private readonly log: Logger,
  ) {
    this.cluster = options.cluster;
    this.id = `sqs:${options.cluster}`;
    const parts = [
      options.region,
      `queues ${options.queues.join(', ')} (depths only: receiving would take messages from their consumers)`,
      ...(options.topics.length ? [`SNS ${options.topics.join(', ')}`] : []),
      ...(options.buses.length ? [`EventBridge ${options.buses.join(', ')}`] : []),
    ];
    this.target = parts.join(' · ');
  }

  private get where() {
    return `${this.cluster}, ${this.options.region}`;
  }

  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    this.api = await AwsApi.create(this.options);
    if (this.stopped) return;
    sink.state('connecting');
    this.running = this.session();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      clearTimeout(this.timer);
      this.abort.abort();
      await this.running;
      for (const tap of this.taps) await tap.remove();
      this.api?.destroy();
    })();
    return this.stopping;
  }

  leftovers(): string[] {
    return this.taps.flatMap((t) => t.leftovers());
  }

  /** AWS calls sent, by name, and the queues whose messages were touched: what read-only means, observable. */
  callCounts(): Record<string, number> {
    return Object.fromEntries(this.api?.calls ?? []);
  }

  touchedQueues(): string[] {
    return [...(this.api?.touched ?? [])];
  }

  consumerReader(everyMs: number): ConsumerReader {
    this.inventory ??= new Inventory(
      {
        source: this.id,
        cluster: this.cluster,
        queues: this.options.queues,
        topics: this.options.topics,
        buses: this.options.buses,
        ages: !this.options.endpoint || Boolean(this.options.endpoints?.cloudwatch),
        ...(this.options.services ? { services: this.options.services } : {}),
      },
      this.log,
    );
    const inventory = this.inventory;
    return {
      everyMs,
      read: async (now) => (this.api && !this.stopped ? inventory.read(this.api, now) : { consumers: [], links: [] }),
    };
  }

  private async session(): Promise<void> {
    const api = this.api as AwsApi;
    let connected = false;
    try {
      await listQueueUrls(api, TAP_PREFIX);
      connected = true;
      this.failures = 0;
      if (!this.tapped && this.options.tap !== false && (this.options.topics.length || this.options.buses.length))
        await this.setUp(api);
      this.report('connected', this.problem);
      await this.readLoop(api);
    } catch (err) {
      if (this.stopped) return;
      if (/QueueDoesNotExist|NonExistentQueue/.test(err instanceof Error ? `${err.name} ${err.message}` : '')) {
        // Its queue is gone (deleted by hand, or taken for a crash's after a long outage): tap anew.
        for (const tap of this.taps.splice(0)) await tap.remove();
        this.tapped = false;
        // SQS refuses a queue of a name deleted less than a minute ago.
        this.tapName = newTapName();
      }
      this.failures += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6));
      const problem = describeAwsError(err, this.where);
      this.log.debug({ err: problem.message }, 'aws session failed');
      this.report(connected ? 'reconnecting' : 'disconnected', {
        ...problem,
        hint: `${problem.hint} Retrying in ${Math.max(1, Math.round(delay / 1000))} s.`,
      });
      this.timer = setTimeout(() => {
        if (!this.stopped) this.running = this.session();
      }, delay);
    }
  }

  /** Removes a crash's leftovers, then creates this run's tap; a credential that may not create gets the map only. */
  private async setUp(api: AwsApi) {
    const now = Date.now();
    const wanted = matcher(this.options.topics.filter((t) => !t.startsWith('arn:')));
    const matched = [
      ...this.options.topics.filter((t) => t.startsWith('arn:')),
      ...(this.options.topics.some((t) => !t.startsWith('arn:'))
        ? (await listTopicArns(api)).filter((arn) => wanted(arnName(arn)))
        : []),
    ];
    // A FIFO topic delivers only to FIFO queues, which would hold its copies in order per group: not tapped.
    const fifo = matched.filter((arn) => arn.endsWith('.fifo'));
    const topicArns = matched.filter((arn) => !arn.endsWith('.fifo'));
    if (fifo.length > 0) this.log.warn({ topics: fifo.map(arnName) }, 'FIFO topics are not tapped');
    const tap = new Tap(api, this.tapName, this.log);
    this.taps.push(tap);
    try {
      await removeLeftovers(
        api,
        { topicArns, buses: this.options.buses },
        this.options.leftoverAfterMs ?? 300_000,
        now,
        this.log,
      );
      await tap.tapTopics(topicArns, now);
      for (const [i, bus] of this.options.buses.entries()) await tap.tapBus(bus, i, now);
      this.tapped = true;
      this.problem =
        this.options.topics.length > 0 && matched.length === 0
          ? {
              reason: 'topic-not-found',
              message: `No SNS topic matches ${this.options.topics.join(', ')} in ${this.where}.`,
              hint: 'Flowscope never creates topics; check the names (or ARNs) given to --aws-topics or the aws: entry, and restart once the topic exists.',
            }
          : fifo.length > 0
            ? {
                reason: 'misconfigured',
                message: `FIFO topics are not tapped: ${fifo.map(arnName).join(', ')}.`,
                hint: 'A FIFO topic delivers only to FIFO queues, in order per message group; Flowscope taps standard topics. Their subscriptions are still drawn.',
              }
            : undefined;
    } catch (err) {
      await tap.remove();
      if (!isAccessDenied(err)) throw err;
      this.tapped = true;
      this.problem = {
        reason: 'misconfigured',
        message: `This credential may read the map of ${this.where} but not tap it: ${err instanceof Error ? err.message : String(err)}`,
        hint: `Queues, topics and rules are drawn; to see SNS and EventBridge messages, allow ${TAP_ACTIONS.join(', ')} on flowscope-tap-* resources.`,
      };
    }
  }

  private async readLoop(api: AwsApi) {
    const heartbeatMs = this.options.heartbeatMs ?? 60_000;
    let beatAt = Date.now();
    while (!this.stopped) {
      const queues = this.taps.flatMap((t) => t.queues);
      if (queues.length === 0) {
        await sleep(this.options.refreshMs || 10_000, this.abort.signal);
        if (!this.stopped) await listQueueUrls(api, TAP_PREFIX);
        continue;
      }
      await Promise.all(queues.map((q) => this.receive(api, q)));
      if (Date.now() - beatAt >= heartbeatMs && !this.stopped) {
        beatAt = Date.now();
        for (const t of this.taps) await t.heartbeat(beatAt);
      }
    }
  }

  /** One long poll of one of its own queues; what was handed over is deleted (it is Flowscope's copy). */
  private async receive(api: AwsApi, q: TapQueue) {
    const { ReceiveMessageCommand, DeleteMessageBatchCommand } = api.sqsModule;
    const res = await api.call<{ Messages?: (TapMessage & { ReceiptHandle?: string })[] }>(
      'sqs',
      new ReceiveMessageCommand({
        QueueUrl: q.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: this.options.waitSeconds ?? 10,
        VisibilityTimeout: 60,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      this.abort.signal,
    );
    const messages = res.Messages ?? [];
    if (this.stopped || messages.length === 0) return;
    const records = messages.map((m) => recordOf(m, q.bus)).filter((r): r is RawRecord => r !== undefined);
    if (records.length < messages.length)
      this.log.debug(
        { queue: q.name, skipped: messages.length - records.length },
        'messages that are not SNS or EventBridge envelopes',
      );
    if (records.length > 0) void this.sink?.records(records);
    await api.call(
      'sqs',
      new DeleteMessageBatchCommand({
        QueueUrl: q.url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: String(m.ReceiptHandle) })),
      }),
    );
  }

  private report(state: 'connected' | 'disconnected' | 'reconnecting', problem?: SourceProblem) {
    if (!this.stopped) this.sink?.state(state, problem);
  }
}
