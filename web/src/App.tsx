import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { CatalogView } from './features/catalog';
import { LiveView } from './features/live';
import { NotFound } from './features/notFound';
import { AppShell } from './features/shell';
import { TourView } from './features/tour';
import { TraceView } from './features/trace';
import { CATALOG_ROOT, LIVE_ROOT, TOUR_ROOT, TRACE_ROOT } from './lib/routes';

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
            <Route path={`${TRACE_ROOT}/*`} element={<TraceView />} />
            <Route path={CATALOG_ROOT} element={<CatalogView />} />
            {/* `/tour/<flow id>?step=<n>`: one flow, one event at a time, on the map. */}
            <Route path={`${TOUR_ROOT}/*`} element={<TourView />} />
          </Route>
          <Route path="*" element={<NotFound />} />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
