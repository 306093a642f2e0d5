import type { BrokerKind } from '../model/broker.js';
import type { FlowEvent } from '../model/flowEvent.js';
import type { Payload } from '../model/payload.js';
import { epochMs, type Seq } from '../model/units.js';
import type { Node } from './ast.js';
import { compileFilter, type FilterError, type FilterInput, type FilterResult } from './filter.js';

type EventSpec = {
  channel?: string;
  broker?: BrokerKind;
  cluster?: string;
  partition?: number;
  offset?: string;
  key?: string;
  type?: string;
  producer?: string;
  headers?: Record<string, string | string[]>;
  keys?: Record<string, string>;
  traceId?: string;
  payload?: Payload;
};

const payloadOf = (encoding: Payload['encoding'], value: string): Payload => ({
  encoding,
  value,
  size: value.length,
  truncated: false,
  sha256: '',
});

const jsonPayload = (body: unknown): Payload => payloadOf('json', JSON.stringify(body));
/** A JSON payload given as raw text, e.g. to include a `__proto__` key or malformed JSON. */
export const rawJsonPayload = (text: string): Payload => payloadOf('json', text);
export const textPayload = (text: string): Payload => payloadOf('text', text);
export const binaryPayload = (base64: string): Payload => payloadOf('binary', base64);
export const emptyPayload = (): Payload => payloadOf('empty', '');

let seq = 0;
/** Builds a FlowEvent; only what a test names differs from a plain `orders` event. */
export function flowEvent(spec: EventSpec = {}): FlowEvent {
  seq += 1;
  return {
    id: `ev-${seq}`,
    seq: seq as Seq,
    source: { broker: spec.broker ?? 'kafka', cluster: spec.cluster ?? 'local' },
    channel: spec.channel ?? 'orders',
    ...(spec.partition !== undefined ? { partition: spec.partition } : {}),
    ...(spec.offset !== undefined ? { offset: spec.offset } : {}),
    timestamp: epochMs(1_700_000_000_000),
    receivedAt: epochMs(1_700_000_000_250),
    ...(spec.key !== undefined ? { key: { encoding: 'text' as const, value: spec.key } } : {}),
    headers: spec.headers ?? {},
    ...(spec.type ? { type: spec.type } : {}),
    ...(spec.producer ? { producer: spec.producer } : {}),
    correlation: {
      keys: Object.entries(spec.keys ?? {}).map(([name, value]) => ({ name, value })),
      ...(spec.traceId ? { traceId: spec.traceId } : {}),
    },
    payload: spec.payload ?? emptyPayload(),
  };
}

export const jsonEvent = (body: unknown, spec: EventSpec = {}): FlowEvent =>
  flowEvent({ ...spec, payload: jsonPayload(body) });

/** Compiles `source` (failing the test with the compiler's message if it does not compile). */
export function filterOf(source: string) {
  const compiled = compileFilter(source);
  if (!compiled.ok) throw new Error(`expected ${source} to compile, got: ${compiled.error.message}`);
  return compiled.filter;
}

export const evaluate = (source: string, event: FlowEvent | FilterInput): FilterResult =>
  filterOf(source).evaluate(event);

/** The value of `source` on `event`, failing the test if the evaluation fails. */
export function valueOf(source: string, event: FlowEvent | FilterInput = flowEvent()): boolean {
  const result = evaluate(source, event);
  if (!result.ok) throw new Error(`expected ${source} to evaluate, got: ${result.error}`);
  return result.value;
}

/** The compile error of `source`, failing the test if it compiles. */
export function compileError(source: string): FilterError {
  const compiled = compileFilter(source);
  if (compiled.ok) throw new Error(`expected ${source} not to compile`);
  return compiled.error;
}

/** An AST as an S-expression, e.g. `(|| a (&& b c))`, to assert precedence. */
export function show(node: Node): string {
  switch (node.kind) {
    case 'literal':
      return JSON.stringify(node.value);
    case 'list':
      return `[${node.items.map(show).join(' ')}]`;
    case 'env':
    case 'var':
      return node.name;
    case 'field':
      return `${show(node.target)}.${node.name}`;
    case 'index':
      return `${show(node.target)}[${show(node.index)}]`;
    case 'call':
      return `(${node.fn} ${node.args.map(show).join(' ')})`;
    case 'has':
      return `(has ${show(node.target)})`;
    case 'comprehension':
      return `(${node.quantifier} ${show(node.range)} ${node.variable} ${show(node.predicate)})`;
    case 'not':
      return `(! ${show(node.operand)})`;
    case 'negate':
      return `(- ${show(node.operand)})`;
    case 'binary':
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case 'logical':
      return `(${node.op} ${node.operands.map(show).join(' ')})`;
    case 'conditional':
      return `(? ${show(node.test)} ${show(node.then)} ${show(node.otherwise)})`;
  }
}
