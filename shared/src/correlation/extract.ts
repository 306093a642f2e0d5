import type { Correlation, CorrelationKey } from '../model/correlationKey.js';
import type { MessageKey } from '../model/payload.js';
import {
  causationHeaders,
  globToRegExp,
  defaultCorrelationRules,
  messageIdHeaders,
  producerHeaders,
  typeHeaders,
  type CorrelationRule,
} from './rules.js';

type Headers = Readonly<Record<string, string | readonly string[]>>;

/** What extraction reads: the normalized parts of one message. `json` is the parsed payload, if any. */
export type ExtractInput = {
  readonly channel: string;
  readonly headers: Headers;
  readonly key?: MessageKey | undefined;
  readonly json?: unknown;
};

export type Extracted = {
  readonly correlation: Correlation;
  readonly type?: string;
  readonly producer?: string;
};

/**
 * Reads correlation keys, trace context, type and producer from one message. Pure: the same input
 * always gives the same output. Keys are de-duplicated and returned in rule order.
 */
export function extractCorrelation(
  input: ExtractInput,
  rules: readonly CorrelationRule[] = defaultCorrelationRules,
  /** Configured header names that name the producing service, tried before the conventions. */
  extraProducerHeaders: readonly string[] = NO_HEADERS,
): Extracted {
  const lower = lowerCaseHeaders(input.headers);
  const compiled = compile(rules);
  const keys: CorrelationKey[] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
    if (typeof value !== 'string' || value === '' || value.length > 512) return;
    if (!keys.some((k) => k.name === name && k.value === value)) keys.push({ name, value });
  };

  const structured = isStructuredCloudEvent(input.json) ? input.json : undefined;
  for (const rule of compiled) {
    if (rule.channel && !rule.channel.test(input.channel)) continue;
    if (rule.from === 'header') add(rule.name, lower.get(rule.header));
    else if (rule.from === 'key') add(rule.name, input.key?.encoding === 'text' ? input.key.value : undefined);
    else if (input.json !== undefined) {
      add(rule.name, readParts(input.json, rule.parts));
      if (structured) add(rule.name, readParts(structured.data, rule.parts));
    }
  }

  const trace = parseTraceparent(lower.get('traceparent')) ?? parseB3(lower);
  if (trace) add('traceId', trace.traceId);

  const first = (names: readonly string[]) => {
    for (const n of lowerCased(names)) {
      const v = lower.get(n);
      if (v) return v;
    }
    return undefined;
  };
  const causationId = first(causationHeaders) ?? stringAt(structured, 'causationid');
  const type = first(typeHeaders) ?? stringAt(structured, 'type') ?? stringAt(input.json, 'type');
  const producer =
    first(extraProducerHeaders) ??
    first(producerHeaders) ??
    stringAt(structured, 'source') ??
    stringAt(input.json, 'producer');
  const messageId = first(messageIdHeaders) ?? stringAt(structured, 'id');

  return {
    correlation: {
      keys,
      ...(messageId ? { messageId } : {}),
      ...(causationId ? { causationId } : {}),
      ...(trace ? { traceId: trace.traceId } : {}),
      ...(trace?.spanId ? { spanId: trace.spanId } : {}),
    },
    ...(type ? { type } : {}),
    ...(producer ? { producer } : {}),
  };
}

type CompiledRule = {
  readonly name: string;
  readonly from: CorrelationRule['from'];
  readonly header: string;
  readonly parts: readonly string[];
  readonly channel?: RegExp;
};

/** Rules are compiled once per rules array (paths split, globs turned into RegExps): this runs per event. */
const compiledRules = new WeakMap<readonly CorrelationRule[], readonly CompiledRule[]>();
function compile(rules: readonly CorrelationRule[]): readonly CompiledRule[] {
  let compiled = compiledRules.get(rules);
  if (!compiled) {
    compiled = rules.map((r) => ({
      name: r.name,
      from: r.from,
      header: r.path.toLowerCase(),
      parts: r.path.split('.'),
      ...(r.channel !== undefined && r.channel !== '*' ? { channel: globToRegExp(r.channel) } : {}),
    }));
    compiledRules.set(rules, compiled);
  }
  return compiled;
}

const NO_HEADERS: readonly string[] = [];

/** Header name lists in lower case, made once per list (they are constants or configuration). */
const loweredLists = new WeakMap<readonly string[], readonly string[]>();
function lowerCased(names: readonly string[]): readonly string[] {
  let lowered = loweredLists.get(names);
  if (!lowered) loweredLists.set(names, (lowered = names.map((n) => n.toLowerCase())));
  return lowered;
}

function lowerCaseHeaders(headers: Headers): Map<string, string> {
  const out = new Map<string, string>();
  // for-in, not Object.entries: this runs for every event, and makes no array of pairs.
  for (const k in headers) {
    const v = headers[k] as string | readonly string[];
    const value = typeof v === 'string' ? v : v[0];
    if (value !== undefined && !out.has(k.toLowerCase())) out.set(k.toLowerCase(), value);
  }
  return out;
}

/** Reads a dotted path (`data.orderId`) from parsed JSON; undefined when any step is missing. */
export function readPath(json: unknown, path: string): unknown {
  return readParts(json, path.split('.'));
}

function readParts(json: unknown, parts: readonly string[]): unknown {
  let cur: unknown = json;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    if (!Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function stringAt(json: unknown, path: string): string | undefined {
  const v = readPath(json, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isStructuredCloudEvent(json: unknown): json is { data?: unknown } {
  return typeof readPath(json, 'specversion') === 'string';
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;

/** W3C trace context: `00-<trace id>-<parent span id>-<flags>`; all-zero ids are invalid. */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string } | undefined {
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (!m?.[1] || !m[2] || /^0+$/.test(m[1]) || /^0+$/.test(m[2])) return undefined;
  return { traceId: m[1], spanId: m[2] };
}

function parseB3(lower: Map<string, string>): { traceId: string; spanId?: string } | undefined {
  const single = lower.get('b3');
  if (single) {
    const [traceId, spanId] = single.split('-');
    if (traceId && /^[\da-f]{16,32}$/i.test(traceId))
      return { traceId: traceId.toLowerCase(), ...(spanId ? { spanId } : {}) };
  }
  const traceId = lower.get('x-b3-traceid');
  if (traceId && /^[\da-f]{16,32}$/i.test(traceId)) {
    const spanId = lower.get('x-b3-spanid');
    return { traceId: traceId.toLowerCase(), ...(spanId ? { spanId } : {}) };
  }
  return undefined;
}
