import type { FlowSummary } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { displayKeys, exampleKeys, suggestFlows } from './suggestions';

const summary = (id: string, keys: Record<string, string>): FlowSummary => ({
  id,
  kind: 'order.placed',
  status: 'completed',
  start: 0,
  end: 1,
  durationMs: 1,
  eventCount: 3,
  keys: Object.entries(keys).map(([name, value]) => ({ name, value })),
  services: [],
  channels: [],
  anomalyCount: 0,
  anomalyKinds: [],
});

const recent = [
  summary('f1', { orderId: 'A-10012', traceId: 'ab12cd' }),
  summary('f2', { orderId: 'A-10120', correlationId: 'c-9' }),
  summary('f3', { orderId: 'B-2012' }),
];

describe('suggestFlows', () => {
  it('offers the most recent flows before anything is typed', () => {
    expect(suggestFlows(recent, ' ', 2).map((s) => s.flow.id)).toEqual(['f1', 'f2']);
  });

  it('matches key values case-insensitively, prefixes first, and says which key matched', () => {
    const s = suggestFlows(recent, 'a-1001');
    expect(s.map((x) => x.flow.id)).toEqual(['f1']);
    expect(s[0]?.match).toEqual({ name: 'orderId', value: 'A-10012' });
    const more = [...recent, summary('f4', { orderId: '012-X' })];
    expect(suggestFlows(more, '012').map((x) => x.flow.id)).toEqual(['f4', 'f1', 'f2', 'f3']);
    expect(suggestFlows(recent, 'a-10').map((x) => x.flow.id)).toEqual(['f1', 'f2']);
  });

  it('falls back to the flow id or kind', () => {
    expect(suggestFlows(recent, 'f2')).toEqual([{ flow: recent[1], match: null }]);
    expect(suggestFlows(recent, 'nothing like it')).toEqual([]);
  });
});

describe('keys for people', () => {
  it('picks one example per well-known key name', () => {
    expect(exampleKeys(recent).map((k) => `${k.name}=${k.value}`)).toEqual([
      'orderId=A-10012',
      'traceId=ab12cd',
      'correlationId=c-9',
    ]);
  });

  it('lists short keys first', () => {
    expect(displayKeys(recent[0]?.keys ?? []).map((k) => k.name)).toEqual(['traceId', 'orderId']);
  });
});
