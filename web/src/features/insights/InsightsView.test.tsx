import type { InsightsResponse } from '@flowscope/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyInsights, shopInsights } from './insights.fixtures';
import { insightsMarkers } from './insights.markers';
import { InsightsView } from './InsightsView';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// jsdom lays nothing out; the page scrolls to the section its address names.
const scrolledTo: Element[] = [];
Element.prototype.scrollIntoView = function (this: Element) {
  scrolledTo.push(this);
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The server answers `/api/insights` with `answer` (a body, or a Response for failures). */
function serve(answer: InsightsResponse | (() => Promise<Response>)) {
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    expect(String(input)).toBe('/api/insights');
    return typeof answer === 'function' ? answer() : json(answer);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function show(entry = '/insights') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, retryDelay: 0 } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[entry]}>
        <InsightsView />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const section = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no section ${id}`);
  return el;
};

const hrefs = (scope: HTMLElement) =>
  within(scope)
    .queryAllByTestId(insightsMarkers.evidence)
    .map((a) => a.getAttribute('href'));

describe('the insights page', () => {
  it('ranks findings as the server does, with severity in words, flows affected and up to 5 evidence flows', async () => {
    serve(shopInsights());
    show();
    const findings = await screen.findAllByTestId(insightsMarkers.finding);
    expect(findings.map((f) => [f.dataset.kind, f.dataset.severity])).toEqual([
      ['not-idempotent', 'alert'],
      ['breaking-schema', 'alert'],
      ['reordering', 'warning'],
      ['broadcast-command', 'info'],
    ]);
    const [first, second, third, fourth] = findings.map((f) => within(f));
    expect(first?.getByRole('heading', { name: 'notification-service is not idempotent on shipments' })).toBeTruthy();
    expect(first?.getByText('Alert')).toBeTruthy();
    expect(first?.getByText('3 flows')).toBeTruthy();
    expect(hrefs(findings[0] as HTMLElement)).toEqual([1, 2, 3, 4, 5].map((n) => `/trace/demo/shop/shipments/${n}`));
    expect(first?.getByText('and 2 more')).toBeTruthy();
    expect(third?.getByText('Warning')).toBeTruthy();
    expect(fourth?.getByText('Info')).toBeTruthy();
    // Text from traffic stays text.
    expect(second?.getByText(/may break\. <img/)).toBeTruthy();
    expect(document.querySelector('main img')).toBeNull();
    expect(section('findings').querySelector('h2')?.textContent).toBe('Findings');
  });

  it('judges each consumer that received duplicates, with the flows that show it', async () => {
    serve(shopInsights());
    show();
    const rows = await screen.findAllByTestId(insightsMarkers.idempotencyRow);
    expect(rows.map((r) => [...r.children].slice(0, 5).map((c) => c.textContent))).toEqual([
      ['notification-service', 'shipments', '4', '3', '▲not idempotent'],
      ['shipping-service', 'orders', '5', '0', '✓ idempotent'],
    ]);
    expect(rows[0]?.dataset.verdict).toBe('not-idempotent');
    expect(hrefs(rows[0] as HTMLElement)).toEqual(['/trace/demo/shop/shipments/1', '/trace/demo/shop/shipments/2']);
    expect(
      within(rows[0] as HTMLElement)
        .getByText('not idempotent')
        .closest('[data-severity]'),
    ).toBeTruthy();
  });

  it('shows consistency windows per kind with p95 per minute as bars, and how far behind each consumer runs', async () => {
    serve(shopInsights());
    show();
    const kind = await screen.findByTestId(insightsMarkers.kindWindow);
    expect([...kind.children].slice(0, 5).map((c) => c.textContent)).toEqual([
      'order.placed',
      '120',
      '180 ms',
      '420 ms',
      '1.25 s',
    ]);
    const bars = within(kind).getByRole('img');
    expect(bars.tagName.toLowerCase()).toBe('svg');
    expect(bars.getAttribute('aria-label')).toMatch(/p95 per minute, 3 minutes .*now 380 ms, highest 420 ms/);
    expect(bars.querySelectorAll('rect')).toHaveLength(3);
    expect(within(kind).getByRole('link', { name: 'open' }).getAttribute('href')).toBe('/trace/demo/shop/orders/77');
    const lags = screen.getAllByTestId(insightsMarkers.consumerLag);
    expect(lags.map((r) => [r.dataset.service, r.dataset.channel, r.children[4]?.textContent])).toEqual([
      ['shipping-service', 'orders', '60 ms'],
      ['shipping-service', 'payments', '120 ms'],
      ['analytics-service', 'orders', '2.5 s'],
    ]);
  });

  it('lists ordering per channel and partition, with what it was judged by and examples', async () => {
    serve(shopInsights());
    show();
    const rows = await screen.findAllByTestId(insightsMarkers.orderingRow);
    expect(rows.map((r) => [r.dataset.channel, r.dataset.partition, r.dataset.basis])).toEqual([
      ['orders', '2', 'version'],
      ['payments', undefined, 'timestamp'],
    ]);
    const orders = within(rows[0] as HTMLElement);
    expect(orders.getByText('2 reordered')).toBeTruthy();
    expect(orders.getByRole('link', { name: 'A-1012' }).getAttribute('href')).toBe('/trace/demo/shop/orders/12');
    expect(orders.getByText(/version 2 arrived after 3/)).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('in order')).toBeTruthy();
  });

  it('marks breaking schema changes as alerts, first, with who may break', async () => {
    serve(shopInsights());
    show();
    const rows = await screen.findAllByTestId(insightsMarkers.schemaRow);
    expect(rows.map((r) => [r.dataset.type, r.dataset.path, r.dataset.kind, r.dataset.breaking])).toEqual([
      ['shipment.created', 'trackingNumber', 'field-missing', 'true'],
      ['shipment.created', 'carrier', 'field-added', 'false'],
    ]);
    const breaking = within(rows[0] as HTMLElement);
    expect(breaking.getByText('breaking').closest('[data-severity]')?.getAttribute('data-severity')).toBe('alert');
    expect(breaking.getByText('forward: no')).toBeTruthy();
    expect(breaking.getByText('backward: yes')).toBeTruthy();
    expect(breaking.getByText('analytics-service')).toBeTruthy();
    expect(hrefs(rows[0] as HTMLElement)).toEqual(['/trace/demo/shop/shipments/9']);
    expect(within(rows[1] as HTMLElement).getByText('compatible')).toBeTruthy();
  });

  it('presents events and commands as information, and dead letters with their sources and reasons', async () => {
    serve(shopInsights());
    show();
    const types = await screen.findAllByTestId(insightsMarkers.semanticsRow);
    expect(types.map((r) => [r.dataset.type, r.children[2]?.textContent, r.children[3]?.textContent])).toEqual([
      ['order.placed', 'fact (past tense)', 'state (carries the entity)'],
      ['ProcessPayment', 'command (imperative)', 'notification (ids only)'],
    ]);
    expect(section('semantics').querySelector('[data-severity]')).toBeNull();
    expect(section('semantics').textContent).toContain('Information, not errors');
    const dlq = screen.getByTestId(insightsMarkers.deadLetters);
    expect(dlq.dataset.channel).toBe('payments.dlq');
    expect(dlq.textContent).toContain('6 dead letters');
    expect(dlq.textContent).toContain('1 redriven');
    expect(dlq.textContent).toContain('payment-service');
    expect(within(dlq).getByText('<img src=x onerror=alert(1)>', { exact: false })).toBeTruthy();
    expect(hrefs(dlq)).toEqual(['/trace/demo/shop/payments.dlq/4']);
  });

  it('explains what each section needs when nothing was measured yet', async () => {
    serve(emptyInsights());
    show();
    await screen.findByText('Nothing to look at yet');
    const sections = screen.getAllByTestId(insightsMarkers.section);
    expect(sections.map((s) => [s.id, s.dataset.empty])).toEqual([
      ['findings', 'true'],
      ['idempotency', 'true'],
      ['consistency', 'true'],
      ['ordering', 'true'],
      ['schema', 'true'],
      ['semantics', 'true'],
      ['dead-letters', 'true'],
    ]);
    expect(section('idempotency').textContent).toContain('Consumers are judged when a message is delivered twice');
    expect(section('ordering').textContent).toContain('by a version or sequence field');
    expect(screen.queryAllByTestId(insightsMarkers.evidence)).toHaveLength(0);
  });

  it('says it is loading, then shows the server’s message when it fails', async () => {
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const failure = { error: 'internal', message: 'Insights are still warming up.', hint: 'Try again in a minute.' };
    serve(async () => {
      await answered;
      return json(failure, 503);
    });
    show();
    expect(screen.getByTestId(insightsMarkers.loading).textContent).toContain('loading insights');
    answer();
    const error = await screen.findByTestId(insightsMarkers.error);
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('Insights could not be loaded: Insights are still warming up.');
    expect(error.textContent).toContain('Try again in a minute.');
    expect(screen.queryByTestId(insightsMarkers.loading)).toBeNull();
  });

  it('deep-links to a section: /insights#ordering focuses it once loaded; the contents link every section', async () => {
    serve(shopInsights());
    show('/insights#ordering');
    await screen.findAllByTestId(insightsMarkers.orderingRow);
    await waitFor(() => expect(document.activeElement?.id).toBe('ordering'));
    expect(scrolledTo.map((el) => el.id)).toEqual(['ordering']);
    const contents = screen.getByRole('navigation', { name: 'Sections' });
    expect(
      within(contents)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(['#findings', '#idempotency', '#consistency', '#ordering', '#schema', '#semantics', '#dead-letters']);
    expect(within(contents).getByRole('link', { name: 'Schema changes 2' })).toBeTruthy();
  });
});
