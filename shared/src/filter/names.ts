/** What the compiler knows of an expression's type before seeing an event; `dyn` is anything. */
export type StaticType = 'bool' | 'number' | 'string' | 'list' | 'map' | 'null' | 'dyn';

/**
 * Top-level names a filter can use, with their type and meaning: the catalog behind "did you
 * mean …?" suggestions and a UI's autocompletion. Optional fields of the event are missing
 * (absent) on events that lack them.
 */
export const filterNames = {
  id: { type: 'string', doc: 'Stable event id' },
  seq: { type: 'number', doc: 'Server-assigned sequence number' },
  channel: { type: 'string', doc: 'Topic, exchange+routing key, stream, subject or queue' },
  partition: { type: 'number', doc: 'Partition number, when the broker has partitions' },
  offset: { type: 'string', doc: 'Offset as a decimal string (64-bit safe); compare with int(offset)' },
  timestamp: { type: 'number', doc: 'Broker timestamp, epoch milliseconds' },
  receivedAt: { type: 'number', doc: 'When Flowscope received the event, epoch milliseconds' },
  type: { type: 'string', doc: 'Event type, when known' },
  producer: { type: 'string', doc: 'Producing service, when known' },
  broker: { type: 'string', doc: 'Broker family: kafka, rabbitmq, redis, nats, mqtt, sqs, demo, file' },
  cluster: { type: 'string', doc: 'Cluster name from the configuration' },
  key: { type: 'string', doc: 'Message key as text (hex when not valid UTF-8)' },
  headers: { type: 'map', doc: 'Headers by name, case-insensitive; a repeated header gives its first value' },
  payload: { type: 'dyn', doc: 'Decoded JSON payload, or the text of a text payload' },
  payloadText: { type: 'string', doc: 'Payload as received (JSON or text), for substring searches' },
  keys: { type: 'map', doc: 'Correlation keys by name, e.g. keys.orderId' },
  size: { type: 'number', doc: 'Payload size in bytes, before any truncation' },
  encoding: { type: 'string', doc: 'Payload encoding: json, text, binary or empty' },
  messageId: { type: 'string', doc: "The producer's message id, when known" },
  traceId: { type: 'string', doc: 'Trace id (traceparent, b3), when known' },
  causationId: { type: 'string', doc: 'Id of the message that caused this one, when known' },
} as const satisfies Record<string, { type: StaticType; doc: string }>;

export type EnvName = keyof typeof filterNames;
export const envNameList = Object.keys(filterNames) as EnvName[];

export const isEnvName = (name: string): name is EnvName => Object.hasOwn(filterNames, name);

type Signature = {
  /** Arity when called as `f(…)`. */
  readonly global?: number;
  /** Arity (besides the receiver) when called as `x.f(…)`. */
  readonly method?: number;
  readonly returns: StaticType;
  readonly doc: string;
};

/** The fixed set of functions; there are no user-defined functions. */
const filterFunctions = {
  contains: { method: 1, returns: 'bool', doc: 's.contains(t): s has the substring t' },
  startsWith: { method: 1, returns: 'bool', doc: 's.startsWith(t)' },
  endsWith: { method: 1, returns: 'bool', doc: 's.endsWith(t)' },
  matches: { method: 1, global: 2, returns: 'bool', doc: 's.matches(re): RE2-syntax regular expression search' },
  size: { method: 0, global: 1, returns: 'number', doc: 'size(x): characters of a string, items of a list or map' },
  lower: { method: 0, global: 1, returns: 'string', doc: 'lower(s): lower-case' },
  upper: { method: 0, global: 1, returns: 'string', doc: 'upper(s): upper-case' },
  string: { global: 1, returns: 'string', doc: 'string(x): a number, boolean or null as text' },
  int: { global: 1, returns: 'number', doc: 'int(x): integer from a number (truncated) or a decimal string' },
  double: { global: 1, returns: 'number', doc: 'double(x): number from a number or a numeric string' },
  has: { global: 1, returns: 'bool', doc: 'has(payload.field): the field is present' },
  exists: { method: 2, global: 3, returns: 'bool', doc: 'list.exists(x, cond): cond holds for some item' },
  all: { method: 2, global: 3, returns: 'bool', doc: 'list.all(x, cond): cond holds for every item' },
} as const satisfies Record<string, Signature>;

export type FilterFunctionName = keyof typeof filterFunctions;

export const isFunctionName = (name: string): name is FilterFunctionName => Object.hasOwn(filterFunctions, name);

const signatures: Record<string, Signature> = filterFunctions;
export const globalFunctions = Object.keys(filterFunctions).filter((n) => signatures[n]!.global !== undefined);
export const methodFunctions = Object.keys(filterFunctions).filter((n) => signatures[n]!.method !== undefined);

export const signatureOf = (name: FilterFunctionName): Signature => signatures[name]!;
