import { catalogResponseSchema, type InsightsResponse } from '@flowscope/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shopInsights } from '../insights/insights.fixtures';
import { catalogMarkers } from './catalog.markers';
import { CatalogView } from './CatalogView';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// jsdom lays nothing out: the catalog scrolls to the channel the address opens.
Element.prototype.scrollIntoView = () => undefined;

const T0 = Date.UTC(2024, 2, 1, 10, 0, 0);

const catalog = catalogResponseSchema.parse({
  kinds: [
    {
      kind: 'order.placed',
      steps: [
        { step: 'order.placed@orders', count: 10, p50Ms: 0, p99Ms: 0 },
        { step: 'shipment.created@shipments', count: 10, p50Ms: 40, p99Ms: 90 },
      ],
      samples: 10,
      canonicalCount: 9,
      p50DurationMs: 150,
      p99DurationMs: 900,
    },
    { kind: 'refund.requested', steps: [], samples: 2, canonicalCount: 2, p50DurationMs: 10, p99DurationMs: 20 },
  ],
  channels: [
    {
      id: 'channel:demo/shop/shipments',
      name: 'shipments',
      broker: 'demo',
      cluster: 'shop',
      eventCount: 30,
      rate: 1,
      producers: ['shipping-service'],
      consumers: ['notification-service'],
      types: [
        {
          type: 'shipment.created',
          count: 30,
          firstSeenAt: T0,
          lastSeenAt: T0 + 1000,
          producers: ['shipping-service'],
          samples: 30,
          drift: [],
        },
      ],
    },
  ],
  stats: {
    events: 30,
    flows: 10,
    merges: 0,
    duplicates: 0,
    evictedFlows: 0,
    evictedEvents: 0,
    hotKeys: 0,
    templates: 2,
  },
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The server: the catalog, no flows, no notes, and these insights. */
function serve(insights: InsightsResponse) {
  const bodies: Record<string, unknown> = {
    '/api/catalog': catalog,
    '/api/insights': insights,
    '/api/annotations': { annotations: [] },
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const path = String(input).split('?')[0] ?? '';
      if (path === '/api/flows') return json({ flows: [] });
      return path in bodies ? json(bodies[path]) : json({ error: 'not-found', message: 'no such route' }, 404);
    }),
  );
}

function show(entry = '/catalog') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, retryDelay: 0 } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[entry]}>
        <CatalogView />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const kindCard = async (kind: string) =>
  (await screen.findAllByTestId(catalogMarkers.kind)).find((k) => k.dataset.kind === kind) as HTMLElement;

describe('insights in the catalog', () => {
  it("shows a kind's consistency window p50 · p95 · p99, and nothing for a kind not measured", async () => {
    serve(shopInsights());
    show();
    const window = await within(await kindCard('order.placed')).findByTestId(catalogMarkers.kindConsistency);
    expect(window.textContent).toBe('Consistent withinp50 180 ms · p95 420 ms · p99 1.25 s');
    expect(within(window).getByRole('link', { name: 'Consistent within' }).getAttribute('href')).toBe(
      '/insights#consistency',
    );
    expect(within(await kindCard('refund.requested')).queryByTestId(catalogMarkers.kindConsistency)).toBeNull();
  });

  it('marks an event type with a breaking schema change with an alert linking to the schema insights', async () => {
    serve(shopInsights());
    show('/catalog?channel=channel:demo/shop/shipments');
    const badge = await screen.findByTestId(catalogMarkers.breakingChange);
    expect(badge.closest(`[data-testid="${catalogMarkers.eventType}"]`)?.getAttribute('data-type')).toBe(
      'shipment.created',
    );
    expect(badge.textContent).toBe('▲ Breaking change: trackingNumber field missing');
    expect(badge.getAttribute('href')).toBe('/insights#schema');
    expect(badge.dataset.path).toBe('trackingNumber');
    // Only the breaking one: the compatible `carrier` change gets no badge; the closed card says it too.
    expect(screen.getAllByTestId(catalogMarkers.breakingChange)).toHaveLength(1);
    expect(screen.getByTestId(catalogMarkers.channelToggle).textContent).toContain('1 breaking change');
  });

  it('says what an event type reads as, as information linking to the insights', async () => {
    const shipped = { channel: 'shipments', type: 'shipment.created', naming: 'fact', payload: 'state', consumers: 1 };
    serve({ ...shopInsights(), semantics: [shipped] as InsightsResponse['semantics'] });
    show('/catalog?channel=channel:demo/shop/shipments');
    const line = await screen.findByTestId(catalogMarkers.semantics);
    expect(line.closest(`[data-testid="${catalogMarkers.eventType}"]`)?.getAttribute('data-type')).toBe(
      'shipment.created',
    );
    expect(line.textContent).toBe('Reads as an event (a fact) · carries state');
    expect(line.querySelector('a')?.getAttribute('href')).toBe('/insights#semantics');
  });

  it('shows no insight marks without insights', async () => {
    const none = { ...shopInsights(), schemaChanges: [], semantics: [], consistency: { kinds: [], consumers: [] } };
    serve(none);
    show('/catalog?channel=channel:demo/shop/shipments');
    await screen.findAllByTestId(catalogMarkers.eventType);
    expect(screen.queryByTestId(catalogMarkers.breakingChange)).toBeNull();
    expect(screen.queryByTestId(catalogMarkers.kindConsistency)).toBeNull();
    expect(screen.queryByTestId(catalogMarkers.semantics)).toBeNull();
  });
});
