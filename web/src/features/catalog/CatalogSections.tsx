import type { ChannelEntry, FlowTemplate } from '@flowscope/shared';
import type { Annotations } from '../annotations';
import { catalogMarkers } from './catalog.markers';
import { ChannelCard } from './ChannelCard';
import { KindCard } from './KindCard';
import type { KindExamples } from './queries';
import type { CatalogInsights } from './useCatalogInsights';

type KindsProps = Readonly<{
  kinds: readonly FlowTemplate[];
  examples: ReadonlyMap<string, KindExamples>;
  examplesLoading: boolean;
  annotations: Annotations;
  insights: CatalogInsights;
}>;

/** Every learned flow kind, or how kinds come to be learned. */
export function CatalogKinds({ kinds, examples, examplesLoading, annotations, insights }: KindsProps) {
  return (
    <section className="fs-catalog__section" aria-labelledby="catalog-kinds">
      <h2 id="catalog-kinds">Flow kinds</h2>
      {kinds.length === 0 ? (
        <div className="fs-empty fs-catalog__empty" data-testid={catalogMarkers.empty}>
          <p className="fs-empty__title">No flow kinds learned yet</p>
          <p className="fs-empty__text">
            Kinds are learned from completed flows: once a few flows of the same kind (named after their first event
            type) have finished without failing, their canonical path, step latencies and durations show here. Keep
            traffic flowing, or replay a capture with <code>--replay</code>.
          </p>
        </div>
      ) : (
        <div className="fs-catalog__kinds">
          {kinds.map((k) => (
            <KindCard
              key={k.kind}
              template={k}
              examples={examples.get(k.kind)}
              examplesLoading={examplesLoading}
              annotations={annotations}
              consistency={insights.windows.get(k.kind)}
            />
          ))}
        </div>
      )}
    </section>
  );
}

type ChannelsProps = Readonly<{
  channels: readonly ChannelEntry[];
  open: ReadonlySet<string>;
  onToggle: (id: string) => void;
  annotations: Annotations;
  insights: CatalogInsights;
}>;

/** Every channel seen, each a card that opens onto its event types and schemas. */
export function CatalogChannels({ channels, open, onToggle, annotations, insights }: ChannelsProps) {
  return (
    <section className="fs-catalog__section" aria-labelledby="catalog-channels">
      <h2 id="catalog-channels">Channels</h2>
      {channels.length === 0 ? (
        <div className="fs-empty fs-catalog__empty">
          <p className="fs-empty__title">No channels seen yet</p>
          <p className="fs-empty__text">
            Channels appear as soon as a source delivers events. Check the sources in the top bar.
          </p>
        </div>
      ) : (
        channels.map((c) => (
          <ChannelCard
            key={c.id}
            channel={c}
            expanded={open.has(c.id)}
            onToggle={() => onToggle(c.id)}
            annotations={annotations}
            insights={insights}
          />
        ))
      )}
    </section>
  );
}
