import type { Logger } from 'pino';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { StreamInfo } from '@nats-io/jetstream';
import type { LagReading, RawRecord, SourceGap, SourceProblem } from '../contract.js';
import { chooseStreams, type ChosenStream } from './selection.js';
import type { StartPosition } from './startPosition.js';
import { StreamReader, type Jet } from './streamReader.js';
import { subjectMatches } from './subjects.js';

export type JetStreamTapOptions = {
  readonly streams: readonly string[];
  readonly kv?: readonly string[];
  readonly from: StartPosition;
  readonly start?: Readonly<Record<string, StartPosition>>;
  readonly pollMs?: number;
};

type Out = { records(batch: readonly RawRecord[]): Promise<void>; gap(gap: SourceGap): void };
type Running = { reader: StreamReader; session: number; loop: Promise<void> };

/**
 * The streams of one NATS source: which are read (listed again on every discovery), one reader
 * each with its position kept across connections, and, for streams read by sequence, a plain
 * subscription to their subjects whose only use is to read at once when a message is published
 * (a work-queue consumer may take it within milliseconds). The stream answers publishes to its
 * subjects itself, so that subscription changes nothing for "no responders".
 */
export class JetStreamTap {
  /** The streams read now. */
  chosen: ChosenStream[] = [];
  private readonly readers = new Map<string, Running>();
  /** Streams placed before: placed again (recreated, or back after a delete), they start at sequence 1. */
  private readonly placed = new Set<string>();
  private initial?: Set<string>;
  private readonly wakers = new Map<string, Subscription>();

  constructor(
    private readonly options: JetStreamTapOptions,
    /** Prefix of Flowscope's consumer names: the tap's connection name. */
    private readonly prefix: string,
    private readonly out: Out,
    private readonly log: Logger,
    private readonly startedAt: number,
  ) {}

  /** Lists streams, starts (or resumes, on a new connection) reading them, retires those gone. */
  async discover(
    jet: Jet,
    nc: NatsConnection,
    session: number,
    stopped: () => boolean,
  ): Promise<SourceProblem | undefined> {
    const infos: StreamInfo[] = [];
    for await (const si of jet.jsm.streams.list()) infos.push(si);
    const { chosen, missing } = chooseStreams(infos, this.options);
    this.initial ??= new Set(infos.map((i) => i.config.name));
    this.chosen = chosen;
    const lastSeq = new Map(infos.map((i) => [i.config.name, i.state.last_seq]));
    for (const [name, running] of this.readers) {
      const next = running.reader.next ?? 0;
      // Gone, or deleted and created again (its sequence went back): read afresh when it is chosen.
      if (chosen.some((c) => c.name === name) && next <= (lastSeq.get(name) ?? 0) + 1) continue;
      // Its loop ends within a read and deletes its consumer.
      running.reader.retire();
      this.readers.delete(name);
    }
    for (const target of chosen) await this.read(jet, nc, target, session, stopped);
    for (const [name, running] of this.readers) running.reader.seen(lastSeq.get(name) ?? 0);
    this.subscribeWakers(nc);
    if (missing.length === 0) return undefined;
    return {
      reason: 'topic-not-found',
      message: `No stream matches ${missing.map((m) => `"${m}"`).join(', ')}.`,
      hint: 'Flowscope never creates streams. It starts reading as soon as a matching stream exists; check the name or --nats-streams (and --nats-kv).',
    };
  }

  /** Flowscope's lag on every stream read now. */
  lag(): LagReading[] {
    return [...this.readers.values()].flatMap(({ reader }) => reader.lag() ?? []);
  }

  /** Deletes Flowscope's consumers (before the connection closes on stop) and waits for the read loops. */
  async stop(jet: Jet | undefined) {
    const all = [...this.readers.values()];
    if (jet) await Promise.all(all.map((r) => r.reader.dispose(jet)));
    await Promise.all(all.map((r) => r.loop));
  }

  /** Flowscope's consumers still on the server (a lost connection leaves them until they expire, 30 s). */
  leftovers(): string[] {
    return [...this.readers.values()].flatMap(({ reader }) =>
      reader.consumer ? [`JetStream consumer ${reader.consumer} on stream ${reader.target.name}`] : [],
    );
  }

  private async read(jet: Jet, nc: NatsConnection, target: ChosenStream, session: number, stopped: () => boolean) {
    const running = this.readers.get(target.name);
    if (running?.session === session) return;
    await running?.loop;
    const consumerPrefix = `${this.prefix}-${target.name}`.replace(/[.*>\s]/g, '_');
    const reader = running?.reader ?? new StreamReader(target, consumerPrefix, this.out, this.log, this.options.pollMs);
    // The consumer of the last connection, if the server still has it.
    await reader.dispose(jet);
    const o = this.options;
    const configured =
      o.start?.[target.name] ?? (target.bucket ? o.start?.[`kv:${target.bucket}`] : undefined) ?? o.from;
    const first = this.initial?.has(target.name) && !this.placed.has(target.name);
    await reader.place(jet, first ? configured : { kind: 'seq', seq: 1 }, this.startedAt);
    this.placed.add(target.name);
    const loop = reader.run(jet, stopped, () => nc.isClosed()).catch(() => undefined);
    this.readers.set(target.name, { reader, session, loop });
  }

  /** Readers by sequence of the streams that capture `subject` read now rather than at their next poll. */
  private wake(subject: string) {
    for (const c of this.chosen)
      if (c.retention !== 'limits' && c.subjects.some((p) => subjectMatches(p, subject)))
        this.readers.get(c.name)?.reader.wake();
  }

  /** One subscription per subject of the streams read by sequence, on this connection. */
  private subscribeWakers(nc: NatsConnection) {
    const polled = this.chosen.filter((c) => c.retention !== 'limits');
    const subjects = new Set(polled.flatMap((c) => c.subjects));
    for (const [subject, sub] of this.wakers) {
      if (subjects.has(subject) && !sub.isClosed()) continue;
      sub.unsubscribe();
      this.wakers.delete(subject);
    }
    for (const subject of subjects) {
      if (this.wakers.has(subject)) continue;
      const callback = (err: Error | null, m: { subject: string }) => {
        if (!err) this.wake(m.subject);
      };
      this.wakers.set(subject, nc.subscribe(subject, { callback }));
    }
  }
}
