/** One row of a schema's field table. */
export type SchemaField = Readonly<{
  /** `customer.address.city`, `items[]`, `items[].sku`; `(root)` when the payload is not an object. */
  path: string;
  /** Nesting level, for indentation. */
  depth: number;
  /** JSON types seen (`string`, `integer`, `object`, …), sorted. */
  types: readonly string[];
  /** Present in every object that had the parent; array items count as required. */
  required: boolean;
  /** The values a string field took, when it looked like an enum. */
  enumValues: readonly string[];
  /** A few observed values, as JSON text. */
  examples: readonly string[];
  /** When the field first appeared, if later than the first sample. */
  firstSeenAt: number | null;
}>;

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function typesOf(schema: Json): string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  return strings(t).sort();
}

function examplesOf(schema: Json): string[] {
  const ex = schema.examples;
  if (!Array.isArray(ex)) return [];
  return ex.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v)));
}

const MAX_ROWS = 500;

/**
 * The fields of an inferred JSON Schema (as the catalog serves it), depth first in property order.
 * Unknown or malformed parts are skipped rather than trusted.
 */
export function schemaFields(schema: unknown): SchemaField[] {
  const rows: SchemaField[] = [];
  if (!isObject(schema)) return rows;

  const field = (path: string, depth: number, node: Json, required: boolean) => {
    const firstSeenAt = node['x-firstSeenAt'];
    rows.push({
      path,
      depth,
      types: typesOf(node),
      required,
      enumValues: strings(node.enum),
      examples: examplesOf(node),
      firstSeenAt: typeof firstSeenAt === 'number' ? firstSeenAt : null,
    });
  };

  const walk = (node: Json, prefix: string, depth: number) => {
    if (rows.length >= MAX_ROWS || depth > 16) return;
    const props = node.properties;
    if (isObject(props)) {
      const required = new Set(strings(node.required));
      for (const [name, child] of Object.entries(props)) {
        if (!isObject(child) || rows.length >= MAX_ROWS) continue;
        const path = prefix ? `${prefix}.${name}` : name;
        field(path, depth, child, required.has(name));
        walk(child, path, depth + 1);
      }
    }
    const items = node.items;
    if (isObject(items)) {
      const path = `${prefix}[]`;
      // Array items: a row of their own only when they are not objects (objects show their fields).
      if (!isObject(items.properties)) field(path, depth, items, true);
      walk(items, path, depth + (isObject(items.properties) ? 0 : 1));
    }
  };

  if (!isObject(schema.properties)) {
    if (typesOf(schema).length > 0) field('(root)', 0, schema, true);
    if (isObject(schema.items)) walk(schema, '', 1);
    return rows;
  }
  walk(schema, '', 0);
  return rows;
}
