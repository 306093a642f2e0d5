import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaConfig, logLevel as LogLevel, RequestEvent } from 'kafkajs';
import type { Logger } from 'pino';
import type { Consumer as AppConsumer } from '@flowscope/shared';
import type { EventSource, RawRecord, SourceProblem, SourceSink } from '../contract.js';
import type { ConsumerReader } from '../plugin.js';
import { registerCodecs } from './codecs.js';
import { describeKafkaError, GroupInUseError } from './errors.js';
import { GroupReader } from './groups.js';
import { PartitionLag } from './lag.js';
import { kafkaRecord } from './records.js';
import { matchTopics, sameSet, trimmedGaps, type Jump } from './topics.js';
import { kafkaStart, resolveStart, watermarks, type StartPosition, type Watermarks } from './startPosition.js';

export type KafkaSourceOptions = {
  /** Name shown in the UI and used in event ids. */
  readonly cluster: string;
  readonly brokers: readonly string[];
  /** Exact topic names, or `/regex/` strings. */
  readonly topics: readonly string[];
  /** Where topics start when Flowscope has no position for them (default `latest`). */
  readonly from: StartPosition;
  /** Per-topic start positions, overriding `from`. */
  readonly start?: Readonly<Record<string, StartPosition>>;
  /**
   * Where the last run's stored events end: topic → partition → the next offset. Those partitions
   * go on from there (a restart reads what it had not stored, once); the others start as above.
   */
  readonly resume?: Readonly<Record<string, Readonly<Record<number, string>>>>;
  /**
   * A fixed group id instead of a random `flowscope-tap-` one. It must not exist on the cluster:
   * an existing group belongs to an application, and Flowscope never joins one.
   */
  readonly groupId?: string;
  readonly groupPrefix?: string;
  /** Consumer group id → the service name it is drawn as on the map (default: the group id). */
  readonly groupServices?: Readonly<Record<string, string>>;
  /** How often consumer groups and their lag are read, in ms; 0 turns it off (default 10 s). */
  readonly groupRefreshMs?: number;
  /** How often the topic list is re-read to pick up (or notice) matching topics, in ms. */
  readonly topicRefreshMs?: number;
  readonly ssl?: KafkaConfig['ssl'];
  readonly sasl?: KafkaConfig['sasl'];
};

/** Group ids Flowscope creates always start with this, so they can be told from application groups. */
export const TAP_GROUP_PREFIX = 'flowscope-tap-';

/**
 * Tails Kafka topics read-only: its own random group id that is never committed (autoCommit off,
 * no commit calls), no topic auto-creation, leaves the group on stop. Positions are tracked here
 * so a restarted consumer (new topics, lost connection) resumes exactly where it stopped.
 */
/** See `startConsumer`. */
const FETCH_WAIT_MS = 500;

export class KafkaSource implements EventSource {
  readonly id: string;
  readonly broker = 'kafka' as const;
  readonly cluster: string;
  readonly target: string;
  readonly groupId: string;
  /** Bootstrap addresses, for documentation (AsyncAPI servers). */
  readonly servers: readonly string[];
  private kafka?: Kafka;
  private consumer?: Consumer;
  private sink?: SourceSink;
  private subscribed: string[] = [];
  /** `topic\0partition` → next offset to read. */
  private readonly positions = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failures = 0;
  private busy: Promise<void> = Promise.resolve();
  /** Every Kafka request this source sent, by API name: what read-only means, observable. */
  private readonly requests = new Map<string, number>();
  private groupCreated = false;
  private groupDeleted = false;
  /** Set when the configuration cannot work (e.g. the group id is taken): no retries until fixed. */
  private refused = false;
  private readonly startedAt = Date.now();
  /** Topics present at the first successful listing: they start at `from`; later ones at our start. */
  private initialTopics?: Set<string>;
  /** `topic\0partition` → the offset expected next when a read jumped past it (retention, reset). */
  private readonly jumps = new Map<string, Jump>();
  private groupReader?: GroupReader;
  private readonly lag = new PartitionLag();

  constructor(
    private readonly options: KafkaSourceOptions,
    private readonly log: Logger,
  ) {
    this.cluster = options.cluster;
    this.id = `kafka:${options.cluster}`;
    this.target = `${options.brokers.join(',')} · ${options.topics.join(', ')}`;
    this.servers = options.brokers;
    this.groupId = options.groupId ?? `${options.groupPrefix ?? TAP_GROUP_PREFIX}${randomBytes(6).toString('hex')}`;
  }

  async start(sink: SourceSink): Promise<void> {
    this.sink = sink;
    const kafkajs = await import('kafkajs');
    const { Kafka, logLevel } = kafkajs;
    registerCodecs(kafkajs.default);
    this.kafka = new Kafka({
      clientId: 'flowscope',
      brokers: [...this.options.brokers],
      connectionTimeout: 3000,
      requestTimeout: 10000,
      retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 3000 },
      ...(this.options.ssl ? { ssl: this.options.ssl } : {}),
      ...(this.options.sasl ? { sasl: this.options.sasl } : {}),
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.logKafka(entry.level, logLevel, entry.log.message),
    });
    sink.state('connecting');
    this.refresh();
  }

  /**
   * The cluster's consumer groups and their lag, read through the admin API (all reads) on the
   * registry's timer, so a slow admin call never delays tailing. Our own tap groups are left out.
   */
  consumerReader(everyMs: number): ConsumerReader {
    this.groupReader ??= new GroupReader(
      this.id,
      this.cluster,
      (id) => id === this.groupId || id.startsWith(this.options.groupPrefix ?? TAP_GROUP_PREFIX),
      (id) => this.options.groupServices?.[id] ?? id,
    );
    const reader = this.groupReader;
    return { everyMs, read: (now) => this.readGroups(reader, now) };
  }

  private async readGroups(reader: GroupReader, now: number): Promise<AppConsumer[]> {
    const kafka = this.kafka;
    if (!kafka || this.stopped || this.refused) return [];
    const admin = kafka.admin();
    this.instrument(admin);
    try {
      await admin.connect();
      const marks = new Map<string, Promise<Watermarks>>();
      const marksOf = (topic: string) => {
        let m = marks.get(topic);
        if (!m) marks.set(topic, (m = watermarks(admin, topic)));
        return m;
      };
      return await reader.read(admin, new Set(this.subscribed), marksOf, now);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Stops reading, leaves and deletes the tap group; safe to call twice (the second waits for the first). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.enqueue(async () => {
      await this.stopConsumer();
      await this.deleteOwnGroup();
    });
  }

  leftovers(): string[] {
    return this.groupCreated && !this.groupDeleted
      ? [
          `consumer group ${this.groupId} on ${this.cluster} (empty; the broker removes it after offsets.retention.minutes)`,
        ]
      : [];
  }

  /** Request counts by Kafka API name (Fetch, Metadata, JoinGroup, …) since start. */
  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.requests);
  }

  private instrument(client: Admin | Consumer) {
    const count = (e: RequestEvent) =>
      this.requests.set(e.payload.apiName, (this.requests.get(e.payload.apiName) ?? 0) + 1);
    // The two clients type their event names separately; both emit the same request event.
    if ('seek' in client) client.on(client.events.REQUEST, count);
    else client.on(client.events.REQUEST, count);
  }

  /** Our group holds no offsets, but it would linger as an empty group: remove it, and only it. */
  private async deleteOwnGroup() {
    if (!this.kafka || !this.groupCreated || this.groupDeleted) return;
    const admin = this.kafka.admin();
    this.instrument(admin);
    try {
      await admin.connect();
      await admin.deleteGroups([this.groupId]);
      this.groupDeleted = true;
    } catch (err) {
      this.log.debug({ err, groupId: this.groupId }, 'could not delete the tap group; the broker expires it');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Serialises consumer restarts so two refreshes never race. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    this.busy = this.busy.then(task, task);
    return this.busy;
  }

  private refresh() {
    void this.enqueue(async () => {
      if (this.stopped) return;
      let delay = this.options.topicRefreshMs ?? 5000;
      try {
        await this.syncTopics();
        this.failures = 0;
      } catch (err) {
        if (err instanceof GroupInUseError) {
          this.refused = true;
          this.report('disconnected', err.problem);
          return;
        }
        this.failures += 1;
        delay = Math.min(30_000, 1000 * 2 ** Math.min(this.failures - 1, 5));
        await this.stopConsumer();
        this.report('disconnected', {
          ...describeKafkaError(err, this.options.brokers),
          hint: `${describeKafkaError(err, this.options.brokers).hint} Retrying in ${Math.round(delay / 1000)} s.`,
        });
      }
      if (!this.stopped) this.timer = setTimeout(() => this.refresh(), delay);
    });
  }

  /**
   * Reads the topic list, reports missing topics, resolves where new topics start, records data
   * lost to retention, and (re)starts the consumer when the set of topics changed.
   */
  private async syncTopics() {
    const kafka = this.kafka;
    if (!kafka || this.refused) return;
    const admin = kafka.admin();
    this.instrument(admin);
    await admin.connect();
    let existing: string[];
    let matched: string[];
    let missing: string[];
    try {
      if (this.options.groupId && !this.groupCreated) await this.ensureGroupIsFree(admin);
      existing = await admin.listTopics();
      ({ matched, missing } = matchTopics(this.options.topics, existing));
      this.initialTopics ??= new Set(existing);
      await this.settlePositions(admin, matched);
    } finally {
      await admin.disconnect();
    }
    if (!this.stopped) this.sink?.lag(this.lag.reading(this.positions, matched));
    const problem: SourceProblem | undefined =
      missing.length > 0
        ? {
            reason: 'topic-not-found',
            message: `No topic matches ${missing.map((m) => `"${m}"`).join(', ')} on ${this.options.brokers.join(',')}.`,
            hint: 'Flowscope never creates topics. It starts reading as soon as a matching topic exists; check the name or --topics.',
          }
        : undefined;

    if (sameSet(matched, this.subscribed) && this.consumer) {
      this.report('connected', problem);
      return;
    }
    await this.stopConsumer();
    this.subscribed = matched;
    if (matched.length === 0) {
      this.report('connected', problem);
      return;
    }
    await this.startConsumer(kafka, matched);
    this.report('connected', problem);
  }

  /** A configured group id is only used when no such group exists: it is never an application's. */
  private async ensureGroupIsFree(admin: Admin) {
    const [group] = (await admin.describeGroups([this.groupId])).groups;
    if (group && group.state !== 'Dead') {
      throw new GroupInUseError({
        reason: 'misconfigured',
        message: `Consumer group "${this.groupId}" already exists on ${this.cluster} (state ${group.state}, ${group.members.length} member${group.members.length === 1 ? '' : 's'}). Flowscope never joins an existing group, so that it cannot move an application's offsets or take its partitions.`,
        hint: `Remove groupId from this cluster's config to use a random ${TAP_GROUP_PREFIX}… group, or choose an id that is not in use.`,
      });
    }
  }

  /**
   * Gives every partition of `topics` a position: new topics start where configured (topics
   * created after we started start at our start time, so nothing produced since is missed).
   * A position below the low watermark means records were deleted before we read them: that is
   * recorded as a gap with the offset range, and reading goes on from the oldest record left.
   */
  private async settlePositions(admin: Admin, topics: readonly string[]) {
    for (const topic of topics) {
      const marks = await watermarks(admin, topic);
      this.resumeFrom(topic, marks);
      const known = [...marks.keys()].every((p) => this.positions.has(`${topic}\0${p}`));
      if (!known) {
        const position: StartPosition = this.initialTopics?.has(topic)
          ? (this.options.start?.[topic] ?? this.options.from)
          : { kind: 'time', at: this.startedAt };
        const start = await resolveStart(admin, topic, position, this.startedAt, marks);
        this.log.info(
          { topic, from: kafkaStart.describe(position) },
          `reading ${topic} from ${kafkaStart.describe(position)}`,
        );
        for (const [partition, offset] of start) {
          const tp = `${topic}\0${partition}`;
          if (!this.positions.has(tp)) this.positions.set(tp, offset);
        }
      }
      this.recordTrimmed(topic, marks);
      this.lag.marks(topic, marks);
    }
  }

  /**
   * Positions from what the last run stored, for partitions the broker still has up to there: one
   * below the low watermark is recorded as trimmed (the records were deleted meanwhile), one past
   * the high watermark (the topic was made anew) is left to the start position.
   */
  private resumeFrom(topic: string, marks: Watermarks) {
    for (const [p, next] of Object.entries(this.options.resume?.[topic] ?? {})) {
      const tp = `${topic}\0${p}`;
      const mark = marks.get(Number(p));
      if (this.positions.has(tp) || !mark || BigInt(next) > BigInt(mark.high)) continue;
      this.positions.set(tp, next);
    }
  }

  private recordTrimmed(topic: string, marks: Watermarks) {
    for (const gap of trimmedGaps(topic, marks, this.positions, this.jumps)) this.sink?.gap(gap);
  }

  private async startConsumer(kafka: Kafka, topics: string[]) {
    const consumer = kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      // We restart ourselves (with resume positions) instead of letting kafkajs rejoin blindly.
      retry: { retries: 3, restartOnFailure: async () => false },
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      // How long a fetch waits for new records at the end of the log (kafkajs: 5 s). A stop waits
      // for the fetch in flight, so Ctrl-C took up to 5 s; an idle tap now asks twice a second.
      maxWaitTimeInMs: FETCH_WAIT_MS,
    });
    this.consumer = consumer;
    this.instrument(consumer);
    this.groupCreated = true;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopped || this.consumer !== consumer) return;
      this.report('reconnecting', describeKafkaError(payload.error, this.options.brokers));
      this.subscribed = [];
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.refresh(), 1000);
    });
    await consumer.connect();
    // Every partition is positioned by seek below; fromBeginning only decides where kafkajs
    // resets an out-of-range position: to the oldest record left, losing as little as possible.
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // One fetch of one partition is one batch for ingest, in offset order.
      eachBatch: async ({ batch }) => {
        const { topic, partition } = batch;
        const tp = `${topic}\0${partition}`;
        const records: RawRecord[] = [];
        const known = this.positions.get(tp);
        // The offset expected next, as a BigInt once per batch rather than per record.
        let next = known === undefined ? undefined : BigInt(known);
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (next !== undefined) {
            // Re-delivered after a reconnect or a retried fetch: already passed on, exactly once.
            if (offset < next) continue;
            // Compaction and transaction markers skip offsets too; the next refresh checks the
            // low watermark to tell those from records lost to retention.
            if (offset > next && !this.jumps.has(tp))
              this.jumps.set(tp, { expected: next.toString(), got: message.offset });
          }
          next = offset + 1n;
          records.push(kafkaRecord(topic, partition, message));
        }
        if (next !== undefined && records.length > 0) this.positions.set(tp, next.toString());
        // Awaited: the next fetch waits until ingest has taken this one (backpressure, not memory).
        if (records.length > 0 && !this.stopped) await this.sink?.records(records);
        this.lag.batch(topic, partition, batch.highWatermark, records.at(-1)?.timestamp);
        if (!this.stopped && this.lag.due(Date.now()))
          this.sink?.lag(this.lag.reading(this.positions, this.subscribed));
      },
    });
    // Resume where the previous consumer stopped; never commits (autoCommit is off).
    for (const [tp, offset] of this.positions) {
      const [topic, partition] = tp.split('\0');
      if (topic && topics.includes(topic)) consumer.seek({ topic, partition: Number(partition), offset });
    }
  }

  private async stopConsumer() {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.subscribed = [];
    if (!consumer) return;
    try {
      // Leaves the group: nothing of Flowscope stays on the cluster.
      await consumer.disconnect();
    } catch (err) {
      this.log.debug({ err }, 'consumer disconnect failed');
    }
  }

  private report(state: 'connected' | 'disconnected' | 'reconnecting', problem?: SourceProblem) {
    if (!this.stopped && !(this.refused && state !== 'disconnected')) this.sink?.state(state, problem);
  }

  private logKafka(level: number, levels: typeof LogLevel, message: string) {
    if (level <= levels.ERROR) this.log.debug({ kafkaLevel: level }, message);
    else this.log.trace(message);
  }
}
