import { channelNodeId, serviceNodeId, type Topology } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { happyOrder } from '../trace/trace.fixtures';
import { applyMove, flowTopology, stepIndex, tourHighlight, tourMoveFor, tourStep, tourTopology } from './tourSteps';

const channel = (name: string) => channelNodeId('demo', 'shop', name);

describe('the step in the URL', () => {
  it('is 1-based and clamped to the flow; anything unreadable is the first step', () => {
    expect(stepIndex('3', 6)).toBe(2);
    expect(stepIndex('1', 6)).toBe(0);
    expect(stepIndex('99', 6)).toBe(5);
    expect(stepIndex('0', 6)).toBe(0);
    expect(stepIndex('-4', 6)).toBe(0);
    expect(stepIndex('abc', 6)).toBe(0);
    expect(stepIndex(null, 6)).toBe(0);
    expect(stepIndex('2', 0)).toBe(0);
  });
});

describe('keys and moves', () => {
  it('maps arrows, j/k, Home/End and Esc, and ignores other keys', () => {
    expect(tourMoveFor('ArrowRight')).toBe('next');
    expect(tourMoveFor('j')).toBe('next');
    expect(tourMoveFor('ArrowLeft')).toBe('previous');
    expect(tourMoveFor('k')).toBe('previous');
    expect(tourMoveFor('Home')).toBe('first');
    expect(tourMoveFor('End')).toBe('last');
    expect(tourMoveFor('Escape')).toBe('exit');
    expect(tourMoveFor('x')).toBeNull();
  });

  it('stops at both ends', () => {
    expect(applyMove(0, 'previous', 6)).toBe(0);
    expect(applyMove(0, 'next', 6)).toBe(1);
    expect(applyMove(5, 'next', 6)).toBe(5);
    expect(applyMove(3, 'first', 6)).toBe(0);
    expect(applyMove(1, 'last', 6)).toBe(5);
    expect(applyMove(2, 'exit', 6)).toBe(2);
  });
});

describe('a step of the tour', () => {
  const flow = happyOrder();

  it('names the producer, the channel, who reacted, and the time to the next step', () => {
    const step = tourStep(flow, 1);
    expect(step?.event.type).toBe('inventory.reserved');
    expect(step?.step).toBe('inventory.reserved@inventory');
    expect(step?.producerNodeId).toBe(serviceNodeId('inventory-service'));
    expect(step?.channelNodeId).toBe(channel('inventory'));
    // payment-service produced the next event because of this one.
    expect(step?.consumerNodeIds).toEqual([serviceNodeId('payment-service')]);
    expect(step?.sincePreviousMs).toBe(85);
    expect(step?.nextInMs).toBe(235);
    expect(step?.count).toBe(6);
  });

  it('the first step starts the flow and the last one has no next step', () => {
    expect(tourStep(flow, 0)?.sincePreviousMs).toBeNull();
    expect(tourStep(flow, 5)?.nextInMs).toBeNull();
    expect(tourStep(flow, 6)).toBeNull();
  });

  it('lights the producer → channel edge and the channel → reacting service edge, nothing else', () => {
    const topology = flowTopology(flow);
    const step = tourStep(flow, 1);
    if (!step) throw new Error('no step');
    const lit = tourHighlight(step, topology.edges);
    expect([...lit.nodes].sort()).toEqual(
      [channel('inventory'), serviceNodeId('inventory-service'), serviceNodeId('payment-service')].sort(),
    );
    const litEdges = topology.edges.filter((e) => lit.edges.has(e.id)).map((e) => `${e.source} ${e.kind} ${e.target}`);
    expect(litEdges.sort()).toEqual(
      [
        `${serviceNodeId('inventory-service')} produces ${channel('inventory')}`,
        `${channel('inventory')} consumes ${serviceNodeId('payment-service')}`,
      ].sort(),
    );
  });
});

describe('the map of the tour', () => {
  const flow = happyOrder();

  it('is the live map when it knows every channel of the flow', () => {
    const live: Topology = flowTopology(flow);
    expect(tourTopology(flow, live)).toBe(live);
  });

  it('is a map of the flow alone when the live map lacks its channels (or there is none)', () => {
    const partial: Topology = { nodes: [], edges: [] };
    const own = tourTopology(flow, partial);
    expect(own.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['orders', 'payments', 'order-service']));
    expect(tourTopology(flow, null).nodes.length).toBe(own.nodes.length);
  });
});
