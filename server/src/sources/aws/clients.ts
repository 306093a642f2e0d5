import type * as CloudWatchModule from '@aws-sdk/client-cloudwatch';
import type * as EventsModule from '@aws-sdk/client-eventbridge';
import type * as SnsModule from '@aws-sdk/client-sns';
import type * as SqsModule from '@aws-sdk/client-sqs';

/** Where and as whom one AWS account is reached. Keys, when given, never leave this object. */
export type AwsConnection = {
  readonly region: string;
  /** A named profile of ~/.aws; otherwise the standard chain (environment, profile, role). */
  readonly profile?: string;
  /** Static keys (better through the chain); never shown, logged or served. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /** Endpoint override for every service (an emulator), or per service. */
  readonly endpoint?: string;
  readonly endpoints?: {
    readonly sqs?: string;
    readonly sns?: string;
    readonly events?: string;
    readonly cloudwatch?: string;
  };
};

/** The prefix of everything Flowscope creates, and the tag that marks it as Flowscope's. */
export const TAP_PREFIX = 'flowscope-tap-';
export const TAP_TAG = 'flowscope-tap';
/** When its owner last said it was alive (ms since the epoch): older ones are a crash's leftovers. */
export const ALIVE_TAG = 'flowscope-tap-alive';

type Service = 'sqs' | 'sns' | 'events' | 'cloudwatch';
type Command = { readonly input: object; readonly constructor: { readonly name: string } };
type Sendable = { send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>; destroy(): void };

/** SQS calls that take or change messages: sent to Flowscope's own queues only. */
const MESSAGE_CALLS = new Set([
  'ReceiveMessageCommand',
  'DeleteMessageCommand',
  'DeleteMessageBatchCommand',
  'ChangeMessageVisibilityCommand',
  'ChangeMessageVisibilityBatchCommand',
  'PurgeQueueCommand',
  'DeleteQueueCommand',
  'SetQueueAttributesCommand',
  'TagQueueCommand',
]);
/** Calls never made, whatever the code path: replaying re-delivers to every rule of a bus. */
const NEVER = new Set(['StartReplayCommand', 'SendMessageCommand', 'PublishCommand', 'PutEventsCommand']);

const queueNameOf = (url: string) => url.split('/').pop() ?? '';

/**
 * The three SDK clients of one account and region, behind one `call` that counts every call by
 * name (what the tap did, observable) and refuses, before anything is sent, any call that takes
 * or changes messages on a queue that is not Flowscope's own.
 */
export class AwsApi {
  readonly calls = new Map<string, number>();
  /** Queue URL of each SQS call that touched messages, for tests and the read-only check. */
  readonly touched = new Set<string>();

  private constructor(
    readonly sqsModule: typeof SqsModule,
    readonly snsModule: typeof SnsModule,
    readonly eventsModule: typeof EventsModule,
    readonly cloudWatchModule: typeof CloudWatchModule,
    private readonly clients: Record<Service, Sendable>,
  ) {}

  /** Loads the SDK (only when an AWS source starts) and makes the clients. */
  static async create(c: AwsConnection): Promise<AwsApi> {
    const [sqs, sns, events, cloudwatch] = await Promise.all([
      import('@aws-sdk/client-sqs'),
      import('@aws-sdk/client-sns'),
      import('@aws-sdk/client-eventbridge'),
      import('@aws-sdk/client-cloudwatch'),
    ]);
    const base = {
      region: c.region,
      maxAttempts: 2,
      ...(c.profile ? { profile: c.profile } : {}),
      ...(c.accessKeyId && c.secretAccessKey
        ? {
            credentials: {
              accessKeyId: c.accessKeyId,
              secretAccessKey: c.secretAccessKey,
              ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
            },
          }
        : {}),
    };
    const at = (service: Service) => {
      const endpoint = c.endpoints?.[service] ?? c.endpoint;
      return endpoint ? { ...base, endpoint } : base;
    };
    return new AwsApi(sqs, sns, events, cloudwatch, {
      sqs: new sqs.SQSClient(at('sqs')) as unknown as Sendable,
      sns: new sns.SNSClient(at('sns')) as unknown as Sendable,
      events: new events.EventBridgeClient(at('events')) as unknown as Sendable,
      cloudwatch: new cloudwatch.CloudWatchClient(at('cloudwatch')) as unknown as Sendable,
    });
  }

  async call<T>(service: Service, command: Command, abortSignal?: AbortSignal): Promise<T> {
    const name = command.constructor.name;
    if (NEVER.has(name)) throw new Error(`${name} is never sent by Flowscope`);
    if (service === 'sqs' && MESSAGE_CALLS.has(name)) {
      const url = String((command.input as { QueueUrl?: string }).QueueUrl ?? '');
      if (!queueNameOf(url).startsWith(TAP_PREFIX))
        throw new Error(`${name} on ${queueNameOf(url)} refused: Flowscope touches messages of its own queues only`);
      this.touched.add(url);
    }
    this.calls.set(name.replace(/Command$/, ''), (this.calls.get(name.replace(/Command$/, '')) ?? 0) + 1);
    return (await this.clients[service].send(command as never, abortSignal ? { abortSignal } : undefined)) as T;
  }

  destroy() {
    for (const c of Object.values(this.clients)) c.destroy();
  }
}
