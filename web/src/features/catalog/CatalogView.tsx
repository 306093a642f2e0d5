import { describeError } from '../../lib/api';
import { useAnnotations } from '../annotations';
import { ExportGroup, type ExportLink } from '../export';
import { catalogMarkers } from './catalog.markers';
import { CatalogChannels, CatalogKinds } from './CatalogSections';
import { CatalogServices } from './CatalogServices';
import { useCatalog, useDocsAvailable, useKindExamples } from './queries';
import { useCatalogInsights } from './useCatalogInsights';
import { useOpenChannels } from './useOpenChannels';
import { useScrollToEntry } from './useScrollToEntry';
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

/** `/catalog`: every learned flow kind, service and channel, with schemas, drift and people's notes. */
export function CatalogView() {
  const catalog = useCatalog();
  const { annotations, error: annotationsError } = useAnnotations();
  const { examples, loading: examplesLoading } = useKindExamples();
  const docsAvailable = useDocsAvailable();
  const insights = useCatalogInsights();
  const { open, toggle, channelParam } = useOpenChannels();
  const data = catalog.data;
  useScrollToEntry(data !== undefined, channelParam);

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
          <CatalogKinds
            kinds={data.kinds}
            examples={examples}
            examplesLoading={examplesLoading}
            annotations={annotations}
            insights={insights}
          />
          <CatalogServices channels={data.channels} annotations={annotations} />
          <CatalogChannels
            channels={data.channels}
            open={open}
            onToggle={toggle}
            annotations={annotations}
            insights={insights}
          />
        </>
      )}
    </main>
  );
}
