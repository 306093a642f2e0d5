import type { StreamInfo } from '@nats-io/jetstream';
import { matchNames, subjectMatches } from './subjects.js';
import type { StreamTarget } from './streamReader.js';

/** A tapped stream with the subjects it captures (core copies of those are not taken twice). */
export type ChosenStream = StreamTarget & { readonly subjects: readonly string[] };

/** What the configuration asks for. */
export type StreamChoice = {
  /** Stream names, globs or `/regex/`; `*` is every application stream. */
  readonly streams: readonly string[];
  /** KV buckets to show as state (names, globs or `/regex/`); none by default. */
  readonly kv?: readonly string[];
};

const KV = /^KV_(.+)$/;

/**
 * The streams to read. KV buckets (`KV_<bucket>`) only when asked for, as state; object stores
 * (`OBJ_…`: chunks) never; mirrors and sourced streams (copies of other streams) only when named
 * exactly. `missing` lists the configured names and patterns that matched nothing (not `*`).
 */
export function chooseStreams(
  infos: readonly Pick<StreamInfo, 'config'>[],
  choice: StreamChoice,
): { chosen: ChosenStream[]; missing: string[] } {
  const byName = new Map(infos.map((i) => [i.config.name, i.config]));
  const kvBuckets = [...byName.keys()].flatMap((n) => KV.exec(n)?.[1] ?? []);
  const plain = [...byName.keys()].filter((n) => !KV.test(n) && !n.startsWith('OBJ_'));
  const streams = matchNames(choice.streams, plain);
  const buckets = choice.kv?.length ? matchNames(choice.kv, kvBuckets) : { matched: [], missing: [] };
  const chosen: ChosenStream[] = [];
  for (const name of streams.matched) {
    const c = byName.get(name);
    if (!c) continue;
    const copy = Boolean(c.mirror) || (c.sources?.length ?? 0) > 0;
    if (copy && !choice.streams.includes(name)) continue;
    chosen.push({ name, retention: c.retention as StreamTarget['retention'], subjects: c.subjects ?? [] });
  }
  for (const bucket of buckets.matched) {
    const c = byName.get(`KV_${bucket}`);
    if (c) chosen.push({ name: c.name, retention: 'limits', bucket, subjects: c.subjects ?? [] });
  }
  const missing = [
    ...streams.missing.filter((p) => p !== '*'),
    ...buckets.missing.filter((p) => p !== '*').map((b) => `KV bucket ${b}`),
  ];
  return { chosen, missing };
}

/** Whether a core message's subject is captured by a tapped stream (read there, with its sequence). */
export const capturedBy = (chosen: readonly ChosenStream[], subject: string) =>
  chosen.some((s) => s.subjects.some((p) => subjectMatches(p, subject)));
