/**
 * JSON Schema inferred from observed payloads, one accumulator per (channel, event type). Bounded:
 * depth, properties per object and tracked distinct values are capped, so a hostile payload
 * cannot grow it without limit. Drift is recorded: when a field first appears after the first
 * sample, when a field every earlier payload had is missing, and when a field's type set changes.
 */

import type { schemaChangeKinds } from '../model/insights.js';

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

const MAX_DEPTH = 8;
const MAX_PROPERTIES = 200;
const MAX_DISTINCT = 12;
const MAX_EXAMPLES = 3;
/** Strings become an enum when they took at most this many values over at least MIN_ENUM_SAMPLES. */
const ENUM_MAX_VALUES = 8;
const MIN_ENUM_SAMPLES = 10;

/** A field appeared, a field every earlier payload had is missing, or a field took another type. */
type DriftKind = (typeof schemaChangeKinds)[number];

export type Drift = {
  readonly at: number;
  readonly path: string;
  readonly change: string;
  readonly kind: DriftKind;
  /** Sampled payloads that showed it (the first and every one since: a field missing again). */
  showing: number;
  /** The producer of the payload that showed the change, and its event. */
  readonly producer?: string;
  readonly eventId?: string;
};

/** Who sent the payload being observed: named in the drift it shows. */
export type SampleOrigin = { readonly producer?: string | undefined; readonly eventId?: string | undefined };

/** A field is taken as required, and its absence as a change, once this many payloads all had it. */
const MIN_REQUIRED_SAMPLES = 100;

type Node = {
  seen: number;
  types: Set<JsonType>;
  /** Distinct string values, until more than MAX_DISTINCT were seen (then undefined). */
  strings?: Set<string>;
  examples: unknown[];
  properties?: Map<string, Node>;
  /** How many times this node was an object: a property seen in all of them is required. */
  objects: number;
  items?: Node;
  firstSeenAt: number;
  /** The drift this node made: it appeared late, it went missing, it took another type. */
  added?: Drift;
  missing?: Drift;
  typeChanges?: Map<JsonType, Drift>;
};

export type SchemaAccumulator = {
  readonly root: Node;
  samples: number;
  readonly drift: Drift[];
  /** Properties that could not be tracked (past MAX_PROPERTIES or MAX_DEPTH). */
  dropped: number;
  /** The payload being observed: its origin goes into any drift it shows. */
  origin: SampleOrigin;
};

const newNode = (at: number): Node => ({ seen: 0, types: new Set(), examples: [], objects: 0, firstSeenAt: at });

export const createSchemaAccumulator = (): SchemaAccumulator => ({
  root: newNode(0),
  samples: 0,
  drift: [],
  dropped: 0,
  origin: {},
});

export function jsonTypeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

const MAX_DRIFT = 100;

function pushDrift(
  acc: SchemaAccumulator,
  at: number,
  path: string,
  kind: DriftKind,
  change: string,
): Drift | undefined {
  if (acc.drift.length >= MAX_DRIFT) return undefined;
  const { producer, eventId } = acc.origin;
  const drift: Drift = {
    at,
    path,
    change,
    kind,
    showing: 1,
    ...(producer !== undefined ? { producer } : {}),
    ...(eventId !== undefined ? { eventId } : {}),
  };
  acc.drift.push(drift);
  return drift;
}

/**
 * After an object was observed: a field every earlier one of (at least MIN_REQUIRED_SAMPLES)
 * had, and this one lacks, was required and is now missing: once per field.
 */
function noteMissing(
  acc: SchemaAccumulator,
  node: Node,
  value: Record<string, unknown>,
  present: number,
  at: number,
  path: string,
) {
  if (!node.properties || present >= node.properties.size) return;
  for (const [k, child] of node.properties) {
    if (Object.hasOwn(value, k)) continue;
    if (child.missing) child.missing.showing += 1;
    else if (child.seen === node.objects - 1 && node.objects > MIN_REQUIRED_SAMPLES) {
      const where = path ? `${path}.${k}` : k;
      const change = `required field missing (it was in all ${node.objects - 1} before)`;
      child.missing = pushDrift(acc, at, where, 'field-missing', change);
    }
  }
}

function observeNode(acc: SchemaAccumulator, node: Node, value: unknown, at: number, path: string, depth: number) {
  const type = jsonTypeOf(value);
  node.seen += 1;
  if (!node.types.has(type)) {
    // integer and number are one JSON number: 9.9 after 24 is no change worth reporting.
    const numeric = (t: JsonType) => t === 'integer' || t === 'number';
    const sameFamily = numeric(type) && [...node.types].some(numeric);
    // A field that was only ever null taking a value is the field filled in, not another type.
    const filledIn = node.types.size === 1 && node.types.has('null');
    if (node.types.size > 0 && !sameFamily && !filledIn) {
      const change = `type ${[...node.types].sort().join('|')} → also ${type}`;
      const drift = pushDrift(acc, at, path || '(root)', 'type-changed', change);
      if (drift) (node.typeChanges ??= new Map()).set(type, drift);
    }
    node.types.add(type);
  } else {
    const drift = node.typeChanges?.get(type);
    if (drift) drift.showing += 1;
  }
  if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') {
    if (node.examples.length < MAX_EXAMPLES && !node.examples.includes(value)) node.examples.push(value);
  }
  if (type === 'string') {
    if (node.seen === 1) node.strings = new Set();
    if (node.strings) {
      node.strings.add(value as string);
      if (node.strings.size > MAX_DISTINCT) delete node.strings;
    }
  } else if (node.strings) {
    // A field that is not always a string is no enum.
    delete node.strings;
  }
  if (depth >= MAX_DEPTH) return;
  if (type === 'object') {
    node.objects += 1;
    node.properties ??= new Map();
    let present = 0;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      let child = node.properties.get(k);
      if (!child) {
        if (node.properties.size >= MAX_PROPERTIES) {
          acc.dropped += 1;
          continue;
        }
        child = newNode(at);
        node.properties.set(k, child);
        if (node.objects > 1) child.added = pushDrift(acc, at, path ? `${path}.${k}` : k, 'field-added', 'new field');
      } else if (child.added) child.added.showing += 1;
      present += 1;
      observeNode(acc, child, v, at, path ? `${path}.${k}` : k, depth + 1);
    }
    noteMissing(acc, node, value as Record<string, unknown>, present, at, path);
  } else if (type === 'array') {
    node.items ??= newNode(at);
    for (const item of (value as unknown[]).slice(0, 50))
      observeNode(acc, node.items, item, at, `${path}[]`, depth + 1);
  }
}

/** Adds one observed payload (already parsed JSON) seen at `at`, sent by `origin`. */
export function observeSchema(acc: SchemaAccumulator, json: unknown, at: number, origin: SampleOrigin = {}): void {
  if (acc.samples === 0) acc.root.firstSeenAt = at;
  acc.samples += 1;
  acc.origin = origin;
  observeNode(acc, acc.root, json, at, '', 0);
}

/** A JSON Schema (draft 2020-12 keywords) with `x-` notes on first appearance of fields. */
export type InferredSchema = { readonly [k: string]: unknown };

function toSchema(node: Node, firstSample: number): InferredSchema {
  const types = [...node.types].filter((t) => !(t === 'integer' && node.types.has('number'))).sort();
  const out: Record<string, unknown> = {};
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.type = types;
  if (node.properties && node.properties.size > 0) {
    const properties: Record<string, InferredSchema> = {};
    const required: string[] = [];
    for (const [k, child] of [...node.properties.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      properties[k] = toSchema(child, firstSample);
      if (child.seen >= node.objects) required.push(k);
    }
    out.properties = properties;
    if (required.length > 0) out.required = required;
  }
  if (node.items) out.items = toSchema(node.items, firstSample);
  if (node.strings && node.types.size === 1 && node.seen >= MIN_ENUM_SAMPLES && node.strings.size <= ENUM_MAX_VALUES)
    out.enum = [...node.strings].sort();
  if (node.examples.length > 0) out.examples = node.examples;
  if (node.firstSeenAt > firstSample) out['x-firstSeenAt'] = node.firstSeenAt;
  return out;
}

/** The inferred schema, with how many samples it rests on and what drifted. */
export function inferredSchema(acc: SchemaAccumulator): {
  schema: InferredSchema;
  samples: number;
  drift: readonly Drift[];
} {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...toSchema(acc.root, acc.root.firstSeenAt),
  };
  return { schema, samples: acc.samples, drift: [...acc.drift] };
}
