import type { KindWindow, SchemaChange, TypeSemantics } from '@flowscope/shared';
import { useMemo } from 'react';
import { useInsights } from '../../lib/useInsights';

/** What the catalog shows from the insights: consistency windows per kind, breaking changes per event type. */
export type CatalogInsights = Readonly<{
  windows: ReadonlyMap<string, KindWindow>;
  /** Keyed by `breakingKey(channel, type)`; the channel by name or by node id. */
  breaking: ReadonlyMap<string, readonly SchemaChange[]>;
  /** What each type's name and payload say it is, keyed like `breaking`. */
  semantics: ReadonlyMap<string, TypeSemantics>;
}>;

const breakingKey = (channel: string, type: string) => `${channel}\u0000${type}`;

/** The breaking schema changes of an event type on a channel, whichever way the insights name the channel. */
export const breakingOf = (
  insights: CatalogInsights,
  channel: Readonly<{ id: string; name: string }>,
  type: string,
): readonly SchemaChange[] =>
  insights.breaking.get(breakingKey(channel.name, type)) ?? insights.breaking.get(breakingKey(channel.id, type)) ?? [];

/** What an event type's name and payload say it is (event or command, notification or state). */
export const semanticsOf = (
  insights: CatalogInsights,
  channel: Readonly<{ id: string; name: string }>,
  type: string,
): TypeSemantics | undefined =>
  insights.semantics.get(breakingKey(channel.name, type)) ?? insights.semantics.get(breakingKey(channel.id, type));

/** Indexes the insights for the catalog; empty until they load (or when the server has none). */
export function useCatalogInsights(): CatalogInsights {
  const data = useInsights().data;
  const kinds = data?.consistency.kinds;
  const changes = data?.schemaChanges;
  const typeSemantics = data?.semantics;
  const semantics = useMemo(
    () => new Map((typeSemantics ?? []).map((t) => [breakingKey(t.channel, t.type), t])),
    [typeSemantics],
  );
  const windows = useMemo(() => new Map((kinds ?? []).map((k) => [k.kind, k])), [kinds]);
  const breaking = useMemo(() => {
    const byType = new Map<string, SchemaChange[]>();
    for (const c of changes ?? []) {
      if (!c.breaking) continue;
      const key = breakingKey(c.channel, c.type);
      byType.set(key, [...(byType.get(key) ?? []), c]);
    }
    return byType;
  }, [changes]);
  return useMemo(() => ({ windows, breaking, semantics }), [windows, breaking, semantics]);
}
