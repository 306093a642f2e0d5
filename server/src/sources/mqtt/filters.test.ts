import { describe, expect, it } from 'vitest';
import { filterProblem, tapFilters } from './filters.js';

describe('MQTT topic filters', () => {
  it('refuses shared subscriptions, naming the group and the plain filter to use instead', () => {
    expect(filterProblem('$share/billing/orders/#')).toMatch(
      /shared subscription.*group "billing".*never subscribes through \$share; use "orders\/#"/,
    );
    expect(filterProblem('$queue/orders/#')).toMatch(/shared subscription.*use "orders\/#"/);
    expect(filterProblem('$share/g')).toMatch(/shared subscription/);
  });

  it('accepts ordinary and $SYS filters, and explains malformed ones', () => {
    for (const ok of ['#', 'orders/#', 'devices/+/status', '+', '$SYS/#', 'a/b/c'])
      expect(filterProblem(ok)).toBe(undefined);
    expect(filterProblem('orders/#/x')).toMatch(/# must be a whole level and the last one/);
    expect(filterProblem('orders#')).toMatch(/# must be a whole level/);
    expect(filterProblem('devices/a+/status')).toMatch(/\+ must be a whole level/);
    expect(filterProblem('')).toMatch(/empty/);
  });

  it('adds broker statistics only when asked, once', () => {
    expect(tapFilters(['#'], false)).toEqual(['#']);
    expect(tapFilters(['#', '#'], undefined)).toEqual(['#']);
    expect(tapFilters(['orders/#'], true)).toEqual(['orders/#', '$SYS/#']);
    expect(tapFilters(['$SYS/#'], true)).toEqual(['$SYS/#']);
  });
});
