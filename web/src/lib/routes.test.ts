import { describe, expect, it } from 'vitest';
import { flowIdOf, insightsPath, tourPath, tracePath, traceSearchPath } from './routes';

describe('routes', () => {
  it('keeps the slashes of flow ids readable and escapes everything else', () => {
    expect(tracePath('demo/shop/orders/1')).toBe('/trace/demo/shop/orders/1');
    expect(tracePath('kafka/local/a b?#/0/12', { step: 'x/1', tab: null })).toBe(
      '/trace/kafka/local/a%20b%3F%23/0/12?step=x%2F1',
    );
    expect(tourPath('kafka/local/a b?#/0/12', 3)).toBe('/tour/kafka/local/a%20b%3F%23/0/12?step=3');
    expect(tourPath('demo/shop/orders/1', 1)).toBe('/tour/demo/shop/orders/1');
  });

  it('writes a line break or a % of an id so the router still matches the address, and reads it back', () => {
    const id = 'mqtt/broker/a\nb\u2028c 100%25 %0A/7';
    const path = tracePath(id);
    expect(path).not.toMatch(/%0A|%E2%80%A8/i);
    // What the router hands the view: each segment decoded once, then the splat after `/trace/`.
    const splat = path.slice('/trace/'.length).split('/').map(decodeURIComponent).join('/');
    expect(splat).not.toMatch(/[\n\u2028]/);
    expect(flowIdOf(splat)).toBe(id);
    expect(flowIdOf('demo/shop/orders/1/')).toBe('demo/shop/orders/1');
  });

  it('searches for a trimmed key, or opens the empty search', () => {
    expect(traceSearchPath(' A-10012 ')).toBe('/trace?q=A-10012');
    expect(traceSearchPath('  ')).toBe('/trace');
  });

  it('deep-links to a section of the insights page', () => {
    expect(insightsPath()).toBe('/insights');
    expect(insightsPath('schema')).toBe('/insights#schema');
  });
});
