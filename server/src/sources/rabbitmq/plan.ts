import type { SourceProblem } from '../contract.js';
import { isExactName, matchesAny, planBindings, type TapBinding } from './bindings.js';
import { ManagementError, type Management, type Queue } from './management.js';
import { FIREHOSE } from './records.js';

/** What the tap should look like now: its bindings, the streams it reads, and what it cannot do. */
export type TapPlan = {
  readonly bindings: TapBinding[];
  /** Every exchange tapped: their queues are the consumers shown. */
  readonly exchanges: string[];
  readonly streams: string[];
  readonly problems: SourceProblem[];
  /** Connections of Flowscope taps (server names): their deliveries are not applications'. */
  readonly tapConnections: ReadonlySet<string>;
};

export type PlanInput = {
  readonly api?: Management;
  readonly vhost: string;
  readonly exchanges: readonly string[];
  readonly streams: readonly string[];
  readonly wildcard: boolean;
  readonly firehose: boolean;
  readonly ownQueue: string;
  readonly connectionPrefix: string;
};

/** Reads exchanges, bindings and queues once (management API) and plans bindings and streams from them. */
export async function planTap(input: PlanInput): Promise<TapPlan> {
  const { api } = input;
  if (!api) return withFirehose(input, blind(input, 'no management API is configured'), undefined);
  let read: [Awaited<ReturnType<Management['exchanges']>>, Awaited<ReturnType<Management['bindings']>>, Queue[]];
  try {
    read = await Promise.all([api.exchanges(), api.bindings(), api.queues()]);
  } catch (err) {
    if (!(err instanceof ManagementError)) throw err;
    return withFirehose(input, blind(input, err.message), undefined);
  }
  const [exchanges, bindings, queues] = read;
  const streams = planStreams(queues, input.streams);
  const plan = planBindings(
    exchanges,
    bindings,
    queues,
    input.exchanges,
    input.wildcard,
    input.ownQueue,
    new Set(streams.streams),
  );
  const problems = [...streams.problems];
  if (plan.skipped.length > 0)
    problems.push({
      reason: 'misconfigured',
      message: `Not tapped: ${plan.skipped.map((s) => `${s.exchange} (${s.why})`).join('; ')}.`,
      hint: 'A tap bound there would take a share of the messages from applications; Flowscope never binds them.',
    });
  return withFirehose(
    input,
    {
      bindings: plan.bindings,
      exchanges: plan.exchanges,
      streams: streams.streams,
      problems,
      tapConnections: new Set(),
    },
    api,
  );
}

/**
 * Streams matching the patterns (`x-queue-type: stream` in the queue's arguments, where RabbitMQ
 * keeps it). A name given exactly that is missing, or is a classic or quorum queue, is reported:
 * reading those would take messages from applications, and Flowscope never declares a stream.
 */
function planStreams(queues: readonly Queue[], patterns: readonly string[]) {
  const isStream = (q: Queue) => q.arguments?.['x-queue-type'] === 'stream';
  const streams = queues.filter((q) => isStream(q) && matchesAny(patterns, q.name)).map((q) => q.name);
  const problems: SourceProblem[] = [];
  const named = patterns.filter(isExactName);
  const missing = named.filter((n) => !queues.some((q) => q.name === n));
  const notStreams = named.filter((n) => queues.some((q) => q.name === n && !isStream(q)));
  if (missing.length > 0)
    problems.push({
      reason: 'topic-not-found',
      message: `No stream ${missing.join(', ')}: nothing to read there.`,
      hint: 'Check the name in --rabbitmq-streams; Flowscope never creates a stream, and reads it as soon as an application declares it.',
    });
  if (notStreams.length > 0)
    problems.push({
      reason: 'misconfigured',
      message: `Not read: ${notStreams.join(', ')} ${notStreams.length === 1 ? 'is a queue' : 'are queues'}, not a stream.`,
      hint: 'Consuming a classic or quorum queue takes its messages from applications; only streams (x-queue-type: stream) are read, and exchanges are tapped instead.',
    });
  return { streams, problems };
}

/**
 * Without the management API nothing can be mirrored (applications' bindings are unknown): only
 * exchanges named exactly are tapped, and only in wildcard mode, where binding everything is the
 * user's explicit choice. When the API stops answering, mirrored bindings are removed: one that
 * can no longer be checked might route what applications stopped routing. Streams cannot be told
 * apart from queues without it, so none is read.
 */
function blind(input: PlanInput, why: string): TapPlan {
  const named = input.exchanges.filter(isExactName);
  const bindings = input.wildcard ? named.map((exchange) => ({ exchange, routingKey: '#', arguments: {} })) : [];
  const streams =
    input.streams.length > 0 ? ' Streams are not read: without the API they cannot be told from queues.' : '';
  return {
    bindings,
    exchanges: input.wildcard ? named : [],
    streams: [],
    tapConnections: new Set(),
    problems: [
      {
        reason: 'misconfigured',
        message: input.wildcard
          ? `Tapping only ${named.join(', ') || 'no exchange'} (named exactly) with a wildcard: ${why}, so exchange types, bindings, queues and consumers cannot be seen.${streams}`
          : `Nothing is tapped: ${why}, so the bindings that mirror mode copies, exchange patterns, queues and consumers cannot be seen.${streams}`,
        hint: 'Enable the management plugin (rabbitmq-plugins enable rabbitmq_management) and check --rabbitmq-management and its credentials.',
      },
    ],
  };
}

/**
 * Opt-in: publishes straight to a queue (the default exchange, `publish.`) and every delivery to
 * a consumer (`deliver.#`), seen through the firehose when an admin turned tracing on.
 */
async function withFirehose(input: PlanInput, plan: TapPlan, api: Management | undefined): Promise<TapPlan> {
  if (!input.firehose) return plan;
  const bindings = [
    ...plan.bindings,
    { exchange: FIREHOSE, routingKey: 'publish.', arguments: {} },
    { exchange: FIREHOSE, routingKey: 'deliver.#', arguments: {} },
  ];
  const [tracing, taps] = await Promise.all([
    input.api?.tracing().catch(() => undefined),
    api?.connectionsNamed(input.connectionPrefix).catch(() => undefined),
  ]);
  const tapConnections = taps ?? plan.tapConnections;
  if (tracing !== false) return { ...plan, bindings, tapConnections };
  const off: SourceProblem = {
    reason: 'misconfigured',
    message: `Tracing is off on vhost ${input.vhost}: publishes to the default exchange and deliveries to consumers cannot be seen.`,
    hint: `An admin turns the firehose on with rabbitmqctl trace_on -p ${input.vhost} (it costs the broker throughput and is off again after a restart).`,
  };
  return { ...plan, bindings, tapConnections, problems: [...plan.problems, off] };
}

/** Several problems as one (the source shows one): the first reason, every message and hint. */
export function joinProblems(problems: readonly SourceProblem[]): SourceProblem | undefined {
  const [first] = problems;
  if (!first) return undefined;
  return {
    reason: first.reason,
    message: problems.map((p) => p.message).join(' '),
    hint: [...new Set(problems.map((p) => p.hint))].join(' '),
  };
}
