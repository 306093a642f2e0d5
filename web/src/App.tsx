import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { ErrorBoundary } from './components/ErrorBoundary';
import { LiveView } from './features/live';
import { NotFound } from './features/notFound';
import { AppShell } from './features/shell';
import { CATALOG_ROOT, ENTITY_ROOT, INSIGHTS_ROOT, LIVE_ROOT, TOUR_ROOT, TRACE_ROOT } from './lib/routes';

// The live view loads with the app; the others when first opened, so the first load stays small.
const TraceView = lazy(() => import('./features/trace').then((m) => ({ default: m.TraceView })));
const EntityView = lazy(() => import('./features/trace').then((m) => ({ default: m.EntityView })));
const CatalogView = lazy(() => import('./features/catalog').then((m) => ({ default: m.CatalogView })));
const InsightsView = lazy(() => import('./features/insights').then((m) => ({ default: m.InsightsView })));
const TourView = lazy(() => import('./features/tour').then((m) => ({ default: m.TourView })));

/** A view loaded on demand: nothing while it loads (a moment), what went wrong if it cannot. */
const page = (area: string, view: ReactNode) => (
  <ErrorBoundary area={area}>
    <Suspense fallback={null}>{view}</Suspense>
  </ErrorBoundary>
);

/** Providers and routes. */
export function App() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route element={<AppShell />}>
            <Route path={LIVE_ROOT} element={<LiveView />} />
            {/* `/trace` searches; `/trace/<flow id>` (the id keeps its slashes) opens one flow. */}
            <Route path={`${TRACE_ROOT}/*`} element={page('trace view', <TraceView />)} />
            <Route path={CATALOG_ROOT} element={page('catalog', <CatalogView />)} />
            {/* `/insights#<section>`: idempotency, consistency windows, ordering, schema changes, dead letters. */}
            <Route path={INSIGHTS_ROOT} element={page('insights', <InsightsView />)} />
            {/* `/entity?key=orderId&value=A-1&step=3`: one entity's events and its state, step by step. */}
            <Route path={ENTITY_ROOT} element={page('entity history', <EntityView />)} />
            {/* `/tour/<flow id>?step=<n>`: one flow, one event at a time, on the map. */}
            <Route path={`${TOUR_ROOT}/*`} element={page('tour', <TourView />)} />
          </Route>
          <Route path="*" element={<NotFound />} />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
