import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { ReactFlowProvider, type NodeProps } from '@xyflow/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useLiveStore } from '../../stores/liveStore';
import { shopInsights } from '../insights/insights.fixtures';
import { EMPTY_LAYOUT } from './layout';
import { mapMarkers } from './map.markers';
import { behindByService } from './serviceBehind';
import { ServiceNode } from './ServiceNode';
import { shopTopology } from './topology.fixtures';
import { toFlowElements, type ServiceFlowNode } from './toFlowElements';
import { useServiceBehind } from './useServiceBehind';

afterEach(cleanup);

const consumers = shopInsights().consistency.consumers;

function drawn(node: ServiceFlowNode) {
  const props = { ...node, dragging: false, zIndex: 0, isConnectable: false } as unknown as NodeProps<ServiceFlowNode>;
  return render(
    <ReactFlowProvider>
      <ServiceNode {...props} />
    </ReactFlowProvider>,
  );
}

describe('how far behind a service runs, on the map', () => {
  it('takes the slowest channel a service reads: the highest p95', () => {
    expect([...behindByService(consumers)]).toEqual([
      ['shipping-service', 120],
      ['analytics-service', 2_500],
    ]);
    expect(behindByService([]).size).toBe(0);
  });

  it('puts it on the measured service nodes only', () => {
    const behind = new Map([
      ['inventory-service', 120],
      ['no-such-service', 5],
    ]);
    const { nodes } = toFlowElements(shopTopology(), EMPTY_LAYOUT, null, undefined, behind);
    const measured = nodes.filter((n) => n.data.behindMs !== undefined).map((n) => [n.id, n.data.behindMs]);
    expect(measured).toEqual([['service:inventory-service', 120]]);
    expect(toFlowElements(shopTopology(), EMPTY_LAYOUT, null).nodes.every((n) => !('behindMs' in n.data))).toBe(true);
  });

  it('shows "runs … behind (p95)" on the node and says it in its label', () => {
    const { nodes } = toFlowElements(shopTopology(), EMPTY_LAYOUT, null, undefined, new Map([['order-service', 120]]));
    const node = nodes.find((n): n is ServiceFlowNode => n.id === 'service:order-service' && n.type === 'service');
    if (!node) throw new Error('no order-service node');
    drawn(node);
    expect(screen.getByTestId(mapMarkers.nodeBehind).textContent).toBe('runs 120 ms behind (p95)');
    expect(screen.getByRole('button').getAttribute('aria-label')).toContain('It runs 120 ms behind (p95).');
    cleanup();
    const inventory = nodes.find(
      (n): n is ServiceFlowNode => n.id === 'service:inventory-service' && n.type === 'service',
    );
    if (!inventory) throw new Error('no inventory-service node');
    drawn(inventory);
    expect(screen.queryByTestId(mapMarkers.nodeBehind)).toBeNull();
    expect(screen.getByRole('button').getAttribute('aria-label')).not.toContain('behind');
  });
});

describe('how far behind, while the view is paused', () => {
  it('holds the figures the map had when it paused, and follows again after', async () => {
    let p95 = 120;
    const body = () => {
      const insights = shopInsights();
      const first = insights.consistency.consumers[0];
      if (first) insights.consistency.consumers[0] = { ...first, p95Ms: p95 };
      return insights;
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(body()), { headers: { 'content-type': 'application/json' } })),
    );
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    const { result } = renderHook(() => useServiceBehind(), { wrapper });
    await waitFor(() => expect(result.current.get('shipping-service')).toBe(120));
    useLiveStore.getState().setTopology(shopTopology());
    useLiveStore.getState().pause();
    p95 = 900;
    await client.refetchQueries({ queryKey: ['insights'] });
    // The new figures reached the hook (it rendered again), and the paused map keeps the old ones.
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(
      client.getQueryData<{ consistency: { consumers: { p95Ms: number }[] } }>(['insights'])?.consistency.consumers[0]
        ?.p95Ms,
    ).toBe(900);
    expect(result.current.get('shipping-service')).toBe(120);
    useLiveStore.getState().resume();
    await waitFor(() => expect(result.current.get('shipping-service')).toBe(900));
    vi.unstubAllGlobals();
  });
});
