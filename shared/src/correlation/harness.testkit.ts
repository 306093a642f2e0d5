import { expect } from 'vitest';
import type { Flow } from '../model/flow.js';
import type { FlowEvent } from '../model/flowEvent.js';
import { epochMs, type Seq } from '../model/units.js';
import { correlate, createCorrelator, getFlow, tick, type Correlator, type CorrelatorOptions } from './correlator.js';
import { eventsOf } from './engine.js';

export type EventSpec = {
  channel?: string;
  type?: string;
  producer?: string;
  keys?: Record<string, string>;
  /** Name of the event (in this harness) that caused this one. */
  causedBy?: string;
  at?: number;
  headers?: Record<string, string>;
  /** Overrides the message id (default: `msg-<name>`), e.g. to model a redelivery. */
  messageId?: string;
};

let seq = 0;
/** Builds a FlowEvent named `name`: its id is `ev-<name>`, its message id `msg-<name>`. */
export function makeEvent(name: string, spec: EventSpec = {}): FlowEvent {
  seq += 1;
  return {
    id: `ev-${name}`,
    seq: seq as Seq,
    source: { broker: 'demo', cluster: 'test' },
    channel: spec.channel ?? 'orders',
    timestamp: epochMs(spec.at ?? 1000),
    receivedAt: epochMs(spec.at ?? 1000),
    headers: spec.headers ?? {},
    ...(spec.type ? { type: spec.type } : {}),
    ...(spec.producer ? { producer: spec.producer } : {}),
    correlation: {
      keys: Object.entries(spec.keys ?? {}).map(([n, value]) => ({ name: n, value })),
      messageId: spec.messageId ?? `msg-${name}`,
      ...(spec.causedBy ? { causationId: `msg-${spec.causedBy}` } : {}),
    },
    payload: { encoding: 'empty', value: '', size: 0, truncated: false, sha256: '' },
  };
}

/** Every live flow as the ids of its events (arrival order). */
export function flowGroups(c: Correlator): string[][] {
  return [...c.engine.flows.values()].map((f) => eventsOf(c.engine, f).map((e) => e.id));
}

/** Fluent driver for the correlation engine: `harness().ingest(...).expectFlows(...)`. */
export function harness(options: Partial<CorrelatorOptions> = {}) {
  const c: Correlator = createCorrelator(options);
  const named = new Map<string, FlowEvent>();
  let now = 0;
  const api = {
    correlator: c,
    ingest(...events: (FlowEvent | [string, EventSpec])[]) {
      for (const item of events) {
        const e = Array.isArray(item) ? makeEvent(item[0], item[1]) : item;
        named.set(e.id.replace(/^ev-/, ''), e);
        now = Math.max(now, e.timestamp);
        correlate(c, e);
      }
      return api;
    },
    tick(at: number) {
      now = at;
      tick(c, at);
      return api;
    },
    flow(name: string): Flow {
      const f = getFlow(c, `ev-${name}`, now);
      if (!f) throw new Error(`no flow holds event ${name}`);
      return f;
    },
    /** Asserts the exact partition of ingested events into flows (by harness names). */
    expectFlows(groups: string[][]) {
      const actual = flowGroups(c)
        .map((ids) => ids.map((id) => id.replace(/^ev-/, '')).sort())
        .sort();
      expect(actual).toEqual(groups.map((g) => [...g].sort()).sort());
      return api;
    },
    expectFlow(name: string, check: (flow: Flow) => void) {
      check(api.flow(name));
      return api;
    },
  };
  return api;
}
