import {
  flowEventSchema,
  flowSequence,
  kindSequence,
  mapFlowchart,
  type Flow,
  type FlowEvent,
  type Topology,
} from '@flowscope/shared';
import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';

/** Names an attacker could put on a topic, a header or an event type. */
const hostile = [
  'orders\n  participant evil as injected',
  '%%{init: {"securityLevel": "loose"}}%%',
  '<img src=x onerror=alert(1)>',
  'a; b --> c',
  'click n0 call alert()',
  '"]; n9[("x',
  'end',
  'x|y|z',
];

const event = (i: number, channel: string, type: string, producer: string): FlowEvent =>
  flowEventSchema.parse({
    id: `e${i}`,
    seq: i,
    source: { broker: 'kafka', cluster: 'prod' },
    channel,
    timestamp: 1000 + i,
    receivedAt: 1000 + i,
    headers: {},
    type,
    producer,
    correlation: { keys: [] },
    payload: { encoding: 'empty', value: '', size: 0, truncated: false, sha256: '' },
  });

function flowOf(names: readonly string[]): Flow {
  const events = names.map((n, i) => event(i, `${n}-channel`, `${n}.type`, `${n}-service`));
  return {
    id: 'e0',
    kind: names[0] ?? 'k',
    status: 'completed',
    start: 1000,
    end: 1000 + names.length,
    durationMs: names.length,
    eventCount: events.length,
    keys: [],
    services: [],
    channels: [],
    anomalyCount: 1,
    anomalyKinds: ['failure'],
    events,
    hops: events.slice(1).map((e, i) => ({
      from: events[i]?.id ?? '',
      to: e.id,
      latencyMs: 12,
      service: e.producer ?? '',
      inferred: false,
    })),
    anomalies: [{ kind: 'failure', message: names[1] ?? 'x', eventId: 'e1' }],
  };
}

const topologyOf = (names: readonly string[]): Topology => ({
  nodes: names.flatMap((n) => [
    { id: `service:${n}`, kind: 'service' as const, name: n, eventCount: 1, rate: 0, lastSeenAt: 0 },
    { id: `channel:kafka/prod/${n}`, kind: 'channel' as const, name: n, eventCount: 1, rate: 0, lastSeenAt: 0 },
  ]),
  edges: names.map((n) => ({
    id: `produces:${n}`,
    source: `service:${n}`,
    target: `channel:kafka/prod/${n}`,
    kind: 'produces' as const,
    evidence: ['header' as const],
    count: 1,
    confidence: 1,
    rate: 0,
    lastSeenAt: 0,
    lag: 3,
  })),
});

/** Parses with mermaid and returns its model, with entity codes decoded as the renderer would. */
async function parsed(text: string) {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as {
    getActors?: () => Map<string, { description: string }>;
    getMessages?: () => { message: string }[];
    getVertices?: () => Map<string, { text: string }>;
    getEdges?: () => { text: string }[];
  };
  const decode = (t: string) => t.replace(/ﬂ°°(\d+)¶ß/g, (_, code: string) => String.fromCodePoint(Number(code)));
  return {
    type: diagram.type,
    actors: [...(db.getActors?.().values() ?? [])].map((a) => decode(a.description)),
    messages: (db.getMessages?.() ?? []).map((m) => decode(m.message)),
    vertices: [...(db.getVertices?.().values() ?? [])].map((v) => decode(v.text)),
    edges: (db.getEdges?.() ?? []).map((e) => decode(e.text)),
  };
}

const flat = (name: string) => name.replace(/[\r\n\t]+/g, ' ').trim();

describe('Mermaid export, checked by mermaid’s own parser', () => {
  it('writes a flow as a sequence diagram whose participants are exactly the names, as text', async () => {
    const names = ['order', ...hostile];
    const model = await parsed(flowSequence(flowOf(names), 'Order A-1'));
    expect(model.type).toBe('sequence');
    const expected = names.flatMap((n) => [`${n}-service`, `${n}-channel`]).map(flat);
    expect(new Set(model.actors)).toEqual(new Set(expected));
    expect(model.actors).toHaveLength(expected.length); // nothing injected a participant
    expect(model.messages).toContain(flat(`${hostile[2]}.type`));
    expect(model.messages).toContain(`failure: ${flat(hostile[0] ?? '')}`);
  });

  it('writes a flow kind and the map that parse, with every name a label and nothing more', async () => {
    const kindName = hostile.join(' ');
    const kind = await parsed(
      kindSequence(
        {
          kind: kindName,
          steps: hostile.map((h, i) => ({ step: `${h}.type@${h}`, count: 3, p50Ms: i, p99Ms: i * 10 })),
          samples: 3,
          canonicalCount: 3,
          p50DurationMs: 5,
          p99DurationMs: 9,
        },
        // Annotations are people's text: as inert as names.
        {
          [`kind:${kindName}`]: hostile[1] ?? '',
          [`step:${kindName}/${hostile[2]}.type@${hostile[2]}`]: hostile[0] ?? '',
        },
      ),
    );
    expect(kind.type).toBe('sequence');
    expect(kind.messages).toContain(flat(hostile[1] ?? ''));
    expect(kind.messages).toContain(flat(hostile[0] ?? ''));
    expect(new Set(kind.actors)).toEqual(new Set(hostile.map(flat)));
    const names = ['order-service', ...hostile];
    const map = await parsed(
      mapFlowchart(topologyOf(names), { 'service:order-service': `Takes orders ${hostile[0]}` }),
    );
    expect(map.type).toBe('flowchart-v2');
    expect(map.vertices.sort()).toEqual(
      names
        .flatMap((n) => [
          n === 'order-service' ? `order-service · Takes orders ${flat(hostile[0] ?? '')}` : flat(n),
          flat(n),
        ])
        .sort(),
    );
    expect(map.edges).toEqual(names.map(() => 'header · lag 3'));
  });

  it("labels a broker's routes between channels with their keys, which stay text", async () => {
    const base = topologyOf(['orders', 'billing']);
    const route = (key: string, evidence: 'binding' | 'dead-letter', from: string, to: string) => ({
      id: `routes:${from}->${to}`,
      source: `channel:kafka/prod/${from}`,
      target: `channel:kafka/prod/${to}`,
      kind: 'routes' as const,
      evidence: [evidence],
      count: 0,
      confidence: 1,
      rate: 0,
      lastSeenAt: 0,
      labels: [key],
    });
    const map = await parsed(
      mapFlowchart({
        nodes: base.nodes,
        edges: [route(hostile[4] ?? '', 'binding', 'orders', 'billing'), route('', 'dead-letter', 'billing', 'orders')],
      }),
    );
    expect(map.edges).toEqual([`binding · ${flat(hostile[4] ?? '')}`, 'dead-letter']);
  });
});
