import type { InsightsResponse } from '@flowscope/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyInsights, shopInsights } from '../insights/insights.fixtures';
import { InsightsNavLink } from './InsightsNavLink';
import { statusMarkers } from './status.markers';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function show(insights: InsightsResponse | null) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () =>
      insights
        ? new Response(JSON.stringify(insights), { headers: { 'content-type': 'application/json' } })
        : new Response(JSON.stringify({ error: 'not-found', message: 'Route GET:/api/insights not found' }), {
            status: 404,
            headers: { 'content-type': 'application/json' },
          }),
    ),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, retryDelay: 0 } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/insights']}>
        <InsightsNavLink />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('the Insights link', () => {
  it('counts the alert findings (not warnings or information), in words for screen readers', async () => {
    show(shopInsights());
    const badge = await screen.findByTestId(statusMarkers.navInsightsAlerts);
    expect(badge.dataset.count).toBe('2');
    expect(badge.title).toBe(
      'notification-service is not idempotent on shipments\nBreaking change of shipment.created: trackingNumber missing',
    );
    const link = screen.getByRole('link', { name: /^Insights\s*\(2 alerts\)$/ });
    expect(link.getAttribute('href')).toBe('/insights');
    expect(link.getAttribute('aria-current')).toBe('page');
  });

  it('shows no count without alerts, or on a server without insights', async () => {
    show(emptyInsights());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId(statusMarkers.navInsights).textContent).toBe('Insights');
    cleanup();
    show(null);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId(statusMarkers.navInsightsAlerts)).toBeNull();
    expect(screen.getByRole('link', { name: 'Insights' })).toBeTruthy();
  });
});
