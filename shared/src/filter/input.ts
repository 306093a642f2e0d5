import type { FlowEvent } from '../model/flowEvent.js';
import type { EnvName } from './names.js';
import { ABSENT, FoldedMap, textCost, toValue, type Meter, type Value } from './values.js';

/**
 * One event as a filter sees it. Headers, keys and the decoded payload are built on first use
 * and kept, so the payload JSON is parsed only by filters that read `payload`, and at most once
 * per FilterInput. Pass one FilterInput to several filters (e.g. every live subscription) to
 * share that work; it holds the parsed payload only as long as you hold it.
 */
export interface FilterInput {
  readonly event: FlowEvent;
}

const UNSET: unique symbol = Symbol('unset');

export class LazyInput implements FilterInput {
  #headers: FoldedMap | undefined;
  #keys: FoldedMap | undefined;
  #payload: Value | typeof UNSET = UNSET;

  /** `json`: the payload's value, when the caller already parsed the event's JSON payload. */
  constructor(
    readonly event: FlowEvent,
    json?: unknown,
  ) {
    if (json !== undefined && event.payload.encoding === 'json') this.#json = json;
  }

  #json: unknown;

  get(name: EnvName, meter: Meter): Value {
    const e = this.event;
    switch (name) {
      case 'id':
        return e.id;
      case 'seq':
        return e.seq;
      case 'channel':
        return e.channel;
      case 'partition':
        return e.partition ?? ABSENT;
      case 'offset':
        return e.offset ?? ABSENT;
      case 'timestamp':
        return e.timestamp;
      case 'receivedAt':
        return e.receivedAt;
      case 'type':
        return e.type ?? ABSENT;
      case 'producer':
        return e.producer ?? ABSENT;
      case 'broker':
        return e.source.broker;
      case 'cluster':
        return e.source.cluster;
      case 'key':
        return e.key ? e.key.value : ABSENT;
      case 'headers':
        return (this.#headers ??= this.buildHeaders(meter));
      case 'keys':
        return (this.#keys ??= this.buildKeys(meter));
      case 'payload':
        if (this.#payload === UNSET) this.#payload = this.decodePayload(meter);
        return this.#payload;
      case 'payloadText':
        return e.payload.encoding === 'binary' ? ABSENT : e.payload.value;
      case 'size':
        return e.payload.size;
      case 'encoding':
        return e.payload.encoding;
      case 'messageId':
        return e.correlation.messageId ?? ABSENT;
      case 'traceId':
        return e.correlation.traceId ?? ABSENT;
      case 'causationId':
        return e.correlation.causationId ?? ABSENT;
    }
  }

  private buildHeaders(meter: Meter): FoldedMap {
    const map = new FoldedMap();
    const entries = Object.entries(this.event.headers);
    meter.charge(entries.length);
    for (const [name, value] of entries) {
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string') map.add(name, first);
    }
    return map;
  }

  private buildKeys(meter: Meter): FoldedMap {
    const map = new FoldedMap();
    meter.charge(this.event.correlation.keys.length);
    for (const { name, value } of this.event.correlation.keys) map.add(name, value);
    return map;
  }

  /** JSON payloads decode to their value, text payloads to their text; others are absent. */
  private decodePayload(meter: Meter): Value {
    const { encoding, value } = this.event.payload;
    if (encoding === 'text') return value;
    if (encoding !== 'json') return ABSENT;
    meter.charge(textCost(value.length, 'json'));
    if (this.#json !== undefined) return toValue(this.#json);
    try {
      return toValue(JSON.parse(value));
    } catch {
      // Truncated or malformed JSON: its text is still searchable through payloadText.
      return ABSENT;
    }
  }
}

/** Wraps an event for evaluation, or returns an input already prepared. */
export function toInput(input: FlowEvent | FilterInput): LazyInput {
  if (input instanceof LazyInput) return input;
  return new LazyInput('event' in input ? input.event : input);
}
