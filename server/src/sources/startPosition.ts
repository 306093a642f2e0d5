import { InvalidArgumentError } from 'commander';
import { z } from 'zod';

/**
 * Where reading starts when Flowscope has no position of its own yet, in the forms every source
 * understands:
 * - `latest` (default): only what is written from now on;
 * - `earliest`: everything the broker still retains;
 * - `ago`: the last N ms ("15m": the last 15 minutes, counted from when the source started);
 * - `time`: from an absolute time.
 * A broker adds its own form beside these (Kafka offsets per partition, a Redis entry id).
 */
export type TimePosition =
  | { readonly kind: 'latest' }
  | { readonly kind: 'earliest' }
  | { readonly kind: 'ago'; readonly ms: number }
  | { readonly kind: 'time'; readonly at: number };

/** A broker's own start position form. */
export type PositionForm<P> = {
  /** Parses the broker's form; undefined when `text` is not in it. */
  readonly parse: (text: string) => P | undefined;
  readonly describe: (p: P) => string;
  /** The form in the error message, with an example: `an entry id such as 1700000000000-0`. */
  readonly example: string;
  /** What a name before `=` stands for in `--from name=position`: topic, stream. */
  readonly unit: string;
};

/** A default start position and per-channel ones, as options and config carry them. */
export type StartPositions<P> = { from: P; start?: Record<string, P> };

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function parseTimePosition(t: string): TimePosition | undefined {
  if (t === 'latest' || t === 'earliest') return { kind: t };
  const duration = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(t);
  if (duration) return { kind: 'ago', ms: Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS] };
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const at = Date.parse(t);
    if (Number.isFinite(at)) return { kind: 'time', at };
  }
  return undefined;
}

function isTimePosition(p: { kind: string }): p is TimePosition {
  return p.kind === 'latest' || p.kind === 'earliest' || p.kind === 'ago' || p.kind === 'time';
}

/** The time reading starts at for `ago` and `time`; undefined for the other forms. */
export function startTime(p: { kind: string }, startedAt: number): number | undefined {
  if (!isTimePosition(p)) return undefined;
  if (p.kind === 'ago') return Math.max(0, startedAt - p.ms);
  return p.kind === 'time' ? Math.max(0, p.at) : undefined;
}

/**
 * Start positions of one broker: the time forms every source knows plus the broker's own, with
 * the parser, the description for people and logs, the config-file text check, and the
 * repeatable `--<broker>-from [name=]position` command-line option, written once for all sources.
 */
export function startPositions<P extends { readonly kind: string }>(form: PositionForm<P>) {
  type Position = TimePosition | P;
  const parse = (text: string): Position => {
    const t = text.trim();
    const position = parseTimePosition(t) ?? form.parse(t);
    if (position) return position;
    throw new Error(
      `"${text}" is not a start position: use latest, earliest, a duration such as 15m or 2h, an ISO time such as 2026-11-22T10:00:00Z, or ${form.example}`,
    );
  };
  const describe = (p: Position): string => {
    if (!isTimePosition(p)) return form.describe(p);
    switch (p.kind) {
      case 'latest':
      case 'earliest':
        return p.kind;
      case 'ago':
        return `the last ${Math.round(p.ms / 1000)} s`;
      case 'time':
        return new Date(p.at).toISOString();
    }
  };
  /** Config-file text, checked with the same parser (the message says which forms work). */
  const text = z.string().superRefine((v, ctx) => {
    try {
      parse(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  });
  /** `--from 15m` sets the default; `--from orders=earliest` one channel's start. */
  const option = (value: string, previous: StartPositions<Position>): StartPositions<Position> => {
    const eq = value.indexOf('=');
    try {
      if (eq < 0) return { ...previous, from: parse(value) };
      const name = value.slice(0, eq).trim();
      if (!name) throw new Error(`"${value}" names no ${form.unit} before "="`);
      return { ...previous, start: { ...previous.start, [name]: parse(value.slice(eq + 1)) } };
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
  return { parse, describe, text, option };
}
