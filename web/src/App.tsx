import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { CatalogView } from './features/catalog/CatalogView';
import { LiveView } from './features/live/LiveView';
import { NotFound } from './features/notFound/NotFound';
import { AppShell } from './features/shell/AppShell';
import { TourView } from './features/tour/TourView';
import { TraceView } from './features/trace/TraceView';

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
            <Route path="/" element={<LiveView />} />
            {/* `/trace` searches; `/trace/<flow id>` (the id keeps its slashes) opens one flow. */}
            <Route path="/trace/*" element={<TraceView />} />
            <Route path="/catalog" element={<CatalogView />} />
            {/* `/tour/<flow id>?step=<n>`: one flow, one event at a time, on the map. */}
            <Route path="/tour/*" element={<TourView />} />
          </Route>
          <Route path="*" element={<NotFound />} />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
