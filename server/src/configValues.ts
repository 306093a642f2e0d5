/**
 * Value parsers shared by the core config and every source plugin: durations, sizes, secrets,
 * PEM material. Errors are written for people: they show the form that is expected.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { z } from 'zod';

export const int = (label: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${label} must be a whole number`);
  return n;
};

export const num = (label: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${label} must be a number`);
  return n;
};

export const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function duration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`"${v}" is not a duration; use e.g. 90s, 30m, 24h or 7d`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

export function byteSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`"${v}" is not a size; use e.g. 500MB or 2GB`);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[(m[2] ?? 'B').toUpperCase() as 'B'];
  return Math.round(Number(m[1]) * unit);
}

export const toMs = (v: string | number | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? v : duration(v);
export const toBytes = (v: string | number | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? v : byteSize(v);

/** A duration in a config file: milliseconds, or text such as 90s. */
export const durationText = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'use e.g. 90s, 30m, 24h or 7d'),
]);

/** A size in a config file: bytes, or text such as 256KB. */
export const sizeText = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB)?$/i, 'use e.g. 256KB, 500MB or 2GB'),
]);

/** A secret is given inline, or (better) as the name of an environment variable that holds it. */
export const secret = z.union([z.string().min(1), z.object({ env: z.string().min(1) }).strict()]);
export type Secret = z.infer<typeof secret>;

/** The value of a secret, read from the environment when given as `{ env }`. */
export function resolveSecret(
  s: Secret | undefined,
  env: NodeJS.ProcessEnv,
  field: string,
): { value?: string; error?: string } {
  if (s === undefined) return {};
  if (typeof s === 'string') return { value: s };
  const value = env[s.env];
  return value ? { value } : { error: `${field}: environment variable ${s.env} is not set` };
}

export const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p);

/** A path from a config file: `~` expanded, relative paths taken from the file's folder. */
export const filePath = (p: string, base: string) => (isAbsolute(expandHome(p)) ? expandHome(p) : resolve(base, p));

/** TLS material is given as PEM text, or as the path of a PEM file (relative to the config file). */
export function pemOrFile(value: string, base: string, field: string): { value?: string; error?: string } {
  if (value.includes('-----BEGIN')) return { value };
  const file = filePath(value, base);
  try {
    return { value: readFileSync(file, 'utf8') };
  } catch (err) {
    return {
      error: `${field}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    };
  }
}

/** `kafka[0].brokers[1]` from a zod path. */
export const pointer = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
