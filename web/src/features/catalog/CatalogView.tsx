import type { ChannelEntry } from '@flowscope/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { describeError } from '../../lib/api';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';
import { AnnotationBlock, type Annotations, annotationTarget, useAnnotations } from '../annotations';
import { ExportGroup, type ExportLink } from '../export';
import { catalogMarkers } from './catalog.markers';
import { ChannelCard, channelAnchor } from './ChannelCard';
import { KindCard } from './KindCard';
import { useCatalog, useKindExamples } from './queries';
import './catalog.css';

const ASYNCAPI: ExportLink = {
  id: 'asyncapi',
  label: 'AsyncAPI',
  href: '/api/export/asyncapi',
  fileName: 'asyncapi.json',
  title: 'The observed system as an AsyncAPI 3.0 document',
};
const DOCS: readonly ExportLink[] = [
  {
    id: 'docs-markdown',
    label: 'Markdown docs',
    href: '/api/export/markdown',
    fileName: 'flowscope-docs.md',
    title: 'Documentation of kinds, channels, schemas and notes as one Markdown document',
  },
  {
    id: 'docs-html',
    label: 'HTML docs',
    href: '/api/export/html',
    fileName: 'flowscope-docs.html',
    title: 'Documentation as one self-contained HTML page (opens from disk)',
  },
];

/** Whether this server offers the documentation exports (newer servers do). */
function useDocsAvailable() {
  return useQuery({
    queryKey: ['export', 'docs-available'],
    queryFn: async ({ signal }) => {
      const r = await fetch('/api/export/markdown', { method: 'HEAD', credentials: 'same-origin', signal });
      return r.ok;
    },
    staleTime: Infinity,
    retry: false,
  }).data;
}

type ServiceEntry = { name: string; produces: string[]; consumes: string[] };

function servicesOf(channels: readonly ChannelEntry[]): ServiceEntry[] {
  const byName = new Map<string, ServiceEntry>();
  const get = (name: string) => {
    let s = byName.get(name);
    if (!s) byName.set(name, (s = { name, produces: [], consumes: [] }));
    return s;
  };
  for (const c of channels) {
    for (const p of c.producers) get(p).produces.push(c.name);
    for (const p of c.consumers) get(p).consumes.push(c.name);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function Services({ channels, annotations }: { channels: readonly ChannelEntry[]; annotations: Annotations }) {
  const services = useMemo(() => servicesOf(channels), [channels]);
  if (services.length === 0) return null;
  return (
    <section className="fs-catalog__section" aria-labelledby="catalog-services">
      <h2 id="catalog-services">Services</h2>
      <ul className="fs-services">
        {services.map((s) => (
          <li key={s.name} className="fs-card fs-service" id={`service-${s.name}`}>
            <h3 className="fs-card__title">{s.name}</h3>
            <p className="fs-muted">
              {s.produces.length > 0 && <>produces to {s.produces.join(', ')}</>}
              {s.produces.length > 0 && s.consumes.length > 0 && ' · '}
              {s.consumes.length > 0 && <>consumes from {s.consumes.join(', ')}</>}
            </p>
            <AnnotationBlock
              target={annotationTarget.service(s.name)}
              annotations={annotations}
              subject={`service ${s.name}`}
              compact
            />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Scrolls to the entry the address names (`#kind-…`, or `?channel=` opened), once the catalog is there. */
function useScrollToEntry(ready: boolean, channelParam: string | null) {
  const location = useLocation();
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!ready) return;
    const anchor = location.hash
      ? decodeURIComponent(location.hash.slice(1))
      : channelParam
        ? channelAnchor(channelParam)
        : null;
    if (!anchor || done.current === anchor) return;
    const target = document.getElementById(anchor);
    if (!target) return;
    done.current = anchor;
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }, [ready, location.hash, channelParam]);
}

/** `/catalog`: every learned flow kind, service and channel, with schemas, drift and people's notes. */
export function CatalogView() {
  const catalog = useCatalog();
  const { annotations, error: annotationsError } = useAnnotations();
  const { examples, loading: examplesLoading } = useKindExamples();
  const docsAvailable = useDocsAvailable();
  const [params, patch] = useSearchParamsPatch();
  const channelParam = params.get('channel');
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(channelParam ? [channelParam] : []));
  // A new `?channel=` (a followed link) opens that channel; the user may close it again.
  const [seenParam, setSeenParam] = useState(channelParam);
  if (seenParam !== channelParam) {
    setSeenParam(channelParam);
    if (channelParam && !open.has(channelParam)) setOpen(new Set([...open, channelParam]));
  }

  const data = catalog.data;
  useScrollToEntry(data !== undefined, channelParam);

  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) {
      next.delete(id);
      if (channelParam === id) patch({ channel: null });
    } else {
      next.add(id);
      patch({ channel: id });
    }
    setOpen(next);
  };

  return (
    <main className="fs-catalog" data-testid={catalogMarkers.root}>
      <header className="fs-catalog__head">
        <div>
          <h1>Catalog</h1>
          <p className="fs-muted">
            What Flowscope learned from traffic: flow kinds with their canonical paths, services, and channels with the
            schemas of their events.
          </p>
        </div>
        <ExportGroup scope="catalog" links={docsAvailable ? [ASYNCAPI, ...DOCS] : [ASYNCAPI]} />
      </header>
      {catalog.isPending && (
        <p className="fs-muted" role="status">
          Loading the catalog…
        </p>
      )}
      {catalog.isError && (
        <div className="fs-panel-error" role="alert" data-testid={catalogMarkers.error}>
          <p>The catalog could not be loaded: {describeError(catalog.error).message}</p>
          <p className="fs-muted">{describeError(catalog.error).hint ?? 'It retries on its own; reload to try now.'}</p>
        </div>
      )}
      {annotationsError !== null && (
        <p className="fs-warning" role="alert">
          Notes could not be loaded: {describeError(annotationsError).message}
        </p>
      )}
      {data && (
        <>
          <section className="fs-catalog__section" aria-labelledby="catalog-kinds">
            <h2 id="catalog-kinds">Flow kinds</h2>
            {data.kinds.length === 0 ? (
              <div className="fs-empty fs-catalog__empty" data-testid={catalogMarkers.empty}>
                <p className="fs-empty__title">No flow kinds learned yet</p>
                <p className="fs-empty__text">
                  Kinds are learned from completed flows: once a few flows of the same kind (named after their first
                  event type) have finished without failing, their canonical path, step latencies and durations show
                  here. Keep traffic flowing, or replay a capture with <code>--replay</code>.
                </p>
              </div>
            ) : (
              <div className="fs-catalog__kinds">
                {data.kinds.map((k) => (
                  <KindCard
                    key={k.kind}
                    template={k}
                    examples={examples.get(k.kind)}
                    examplesLoading={examplesLoading}
                    annotations={annotations}
                  />
                ))}
              </div>
            )}
          </section>
          <Services channels={data.channels} annotations={annotations} />
          <section className="fs-catalog__section" aria-labelledby="catalog-channels">
            <h2 id="catalog-channels">Channels</h2>
            {data.channels.length === 0 ? (
              <div className="fs-empty fs-catalog__empty">
                <p className="fs-empty__title">No channels seen yet</p>
                <p className="fs-empty__text">
                  Channels appear as soon as a source delivers events. Check the sources in the top bar.
                </p>
              </div>
            ) : (
              data.channels.map((c) => (
                <ChannelCard
                  key={c.id}
                  channel={c}
                  expanded={open.has(c.id)}
                  onToggle={() => toggle(c.id)}
                  annotations={annotations}
                />
              ))
            )}
          </section>
        </>
      )}
    </main>
  );
}
