import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLiveStore } from '../../stores/liveStore';
import { makeEvent } from '../../test/events';
import { streamMarkers } from './stream.markers';
import { StreamView } from './StreamView';

function renderStream(props: Partial<Parameters<typeof StreamView>[0]> = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const all = {
    openId: null,
    onOpen: vi.fn(),
    onClose: vi.fn(),
    query: '',
    onQueryChange: vi.fn(),
    queryMode: 'text' as const,
    onQueryModeChange: vi.fn(),
    nodeId: null,
    onClearNode: vi.fn(),
    onClearFilters: vi.fn(),
    ...props,
  };
  render(
    <QueryClientProvider client={client}>
      <StreamView {...all} />
    </QueryClientProvider>,
  );
  return all;
}

beforeEach(() => {
  useLiveStore.getState().reset();
  // No history on the server either.
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () => new Response(JSON.stringify({ events: [] }), { headers: { 'content-type': 'application/json' } }),
    ),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('StreamView', () => {
  it('explains what to do while there are no events', () => {
    renderStream();
    const empty = screen.getByTestId(streamMarkers.emptyState);
    expect(empty.dataset.kind).toBe('waiting');
    expect(empty.textContent).toContain('No events yet');
    expect(empty.textContent).toContain('--topics');
    expect(screen.queryAllByTestId(streamMarkers.row)).toHaveLength(0);
  });

  it('says why when the live connection is down', () => {
    useLiveStore
      .getState()
      .setConnection({ status: 'disconnected', reason: 'Open the URL the server printed', since: 0 });
    renderStream();
    const empty = screen.getByTestId(streamMarkers.emptyState);
    expect(empty.dataset.kind).toBe('offline');
    expect(empty.textContent).toContain('Open the URL the server printed');
  });

  it('offers to clear filters that match nothing', () => {
    useLiveStore.getState().receiveEvents([makeEvent({ seq: 1 })], 0, 0);
    const props = renderStream({ query: 'no-such-thing' });
    const empty = screen.getByTestId(streamMarkers.emptyState);
    expect(empty.dataset.kind).toBe('no-match');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(props.onClearFilters).toHaveBeenCalled();
  });

  it('counts new events while paused and resumes from the "new" button', () => {
    renderStream();
    fireEvent.click(screen.getByTestId(streamMarkers.pauseButton));
    act(() => useLiveStore.getState().receiveEvents([makeEvent({ seq: 10 }), makeEvent({ seq: 11 })], 0, 0));
    const more = screen.getByTestId(streamMarkers.newEventsButton);
    expect(more.textContent).toBe('2 new');
    // Still frozen on the (empty) list as it was when paused.
    expect(screen.getByTestId(streamMarkers.emptyState)).toBeTruthy();
    fireEvent.click(more);
    expect(screen.queryByTestId(streamMarkers.newEventsButton)).toBeNull();
    expect(screen.queryByTestId(streamMarkers.emptyState)).toBeNull();
  });

  describe('expression filter', () => {
    const events = () => [
      makeEvent({ seq: 1, channel: 'payments', payload: { value: JSON.stringify({ amount: 250 }) } }),
      makeEvent({ seq: 2, channel: 'payments', payload: { value: JSON.stringify({ amount: 20 }) } }),
      makeEvent({ seq: 3, channel: 'orders' }),
    ];
    const input = () => screen.getByTestId(streamMarkers.filterInput);
    const type = (text: string) => fireEvent.change(input(), { target: { value: text } });
    const footer = () => screen.getByText(/events( match)?$/).textContent;
    const fetched = () => vi.mocked(fetch).mock.calls.map(([url]) => new URL(String(url), 'http://x').searchParams);

    it('offers expression mode for text that reads like an expression, and toggles it', () => {
      const props = renderStream();
      const toggle = screen.getByTestId(streamMarkers.filterModeToggle);
      expect(toggle.getAttribute('aria-pressed')).toBe('false');
      expect(screen.queryByTestId(streamMarkers.filterHint)).toBeNull();
      type('channel == "payments"');
      expect(screen.getByTestId(streamMarkers.filterHint).textContent).toContain('Looks like an expression');
      fireEvent.click(screen.getByRole('button', { name: 'Switch to expression mode' }));
      expect(props.onQueryModeChange).toHaveBeenLastCalledWith('expr');
      fireEvent.click(screen.getByRole('button', { name: 'Expression', pressed: false }));
      expect(props.onQueryModeChange).toHaveBeenLastCalledWith('expr');
    });

    it('shows where a half-typed expression breaks, then the match count once it is valid', () => {
      useLiveStore.getState().receiveEvents(events(), 0, 0);
      renderStream({ queryMode: 'expr' });
      expect(screen.getByTestId(streamMarkers.filterModeToggle).getAttribute('aria-pressed')).toBe('true');

      type('channel == ');
      const error = screen.getByTestId(streamMarkers.filterError);
      expect(error.textContent).toContain('column 11');
      expect(error.querySelector('pre')?.textContent).toBe('channel == \n          ^');
      expect(input().getAttribute('aria-invalid')).toBe('true');
      expect(input().getAttribute('aria-describedby')).toBe(error.id);
      expect(footer()).toBe('3 events'); // nothing valid yet: every event stays

      type('channel == "payments" && payload.amount > 100');
      expect(screen.queryByTestId(streamMarkers.filterError)).toBeNull();
      expect(input().getAttribute('aria-invalid')).toBe('false');
      expect(footer()).toBe('1 of 3 events match');

      // Broken again: the last valid result stays while the user types on.
      type('channel == "payments" && payload.amount >');
      expect(screen.getByTestId(streamMarkers.filterError).textContent).toContain('last valid filter');
      expect(footer()).toBe('1 of 3 events match');
    });

    it('says which expression matched nothing', () => {
      useLiveStore.getState().receiveEvents(events(), 0, 0);
      renderStream({ queryMode: 'expr', query: 'channel == "nowhere"' });
      const empty = screen.getByTestId(streamMarkers.emptyState);
      expect(empty.dataset.kind).toBe('no-match');
      expect(empty.textContent).toContain('channel == "nowhere"');
    });

    it('says when older events were filtered by the server', async () => {
      const payment = makeEvent({ seq: 5, channel: 'payments' });
      vi.mocked(fetch).mockResolvedValue(
        new Response(JSON.stringify({ events: [payment] }), { headers: { 'content-type': 'application/json' } }),
      );
      renderStream({ queryMode: 'expr', query: 'channel == "payments"' });
      expect((await screen.findByText(/filtered by the server/)).textContent).toContain('older events');
      expect(footer()).toBe('1 of 1 events match · older events filtered by the server');
    });

    it('asks the server for history filtered by a valid expression only', () => {
      renderStream({ queryMode: 'expr', query: 'type.startsWith("order.")' });
      expect(fetched().map((q) => [q.get('limit'), q.get('filter')])).toEqual([['200', 'type.startsWith("order.")']]);
      cleanup();
      vi.mocked(fetch).mockClear();
      renderStream({ queryMode: 'text', query: 'type.startsWith("order.")' });
      renderStream({ queryMode: 'expr', query: 'type ==' });
      expect(fetched().map((q) => [q.get('limit'), q.get('filter')])).toEqual([
        ['200', null],
        ['200', null],
      ]);
    });
  });
});
