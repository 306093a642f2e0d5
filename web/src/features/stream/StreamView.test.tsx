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
});
