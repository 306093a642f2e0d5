import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyTopologyDelta,
  toCapture,
  type FlowEvent,
  type LiveTopology,
  type Seq,
  type Topology,
  type TopologyDelta,
} from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, liveClient, sourceStatus, startFlowscope } from './helpers.js';

const PRODUCERS = 20_000;
const CHANNELS = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'flowscope-map-'));

/** The report's cluster: 20,000 producers across 5,000 channels, one event each. */
function capture(): string {
  const now = Date.now();
  const events = Array.from({ length: PRODUCERS }, (_, i): FlowEvent => {
    const value = JSON.stringify({ n: i });
    return {
      id: `kafka/big/topic-${i % CHANNELS}/0/${i}`,
      seq: (i + 1) as Seq,
      source: { broker: 'kafka', cluster: 'big' },
      channel: `topic-${i % CHANNELS}`,
      producer: `producer-${i}`,
      timestamp: (now - PRODUCERS + i) as FlowEvent['timestamp'],
      receivedAt: (now - PRODUCERS + i) as FlowEvent['receivedAt'],
      headers: {},
      correlation: { keys: [] },
      payload: { encoding: 'json', value, size: value.length, truncated: false, sha256: String(i) },
    } as FlowEvent;
  });
  const file = join(dir, 'big.ndjson');
  writeFileSync(file, toCapture(events, 'all', now));
  return file;
}

describe('a map of 20,000 producers across 5,000 channels', () => {
  let server: Awaited<ReturnType<typeof startFlowscope>>;
  beforeAll(async () => {
    server = await startFlowscope(['--replay', capture(), '--no-store']);
    await eventually(
      async () => ((await sourceStatus(server, 'file:big.ndjson'))?.state === 'stopped' ? true : undefined),
      60_000,
      'the replay to finish',
    );
  }, 90_000);
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is drawn within its bound: the busiest nodes, the rest grouped and counted', async () => {
    const res = await fetch(`${server.url}/api/topology`, {
      headers: { authorization: `Bearer ${server.config.token}` },
    });
    const text = await res.text();
    const map = JSON.parse(text) as Topology;
    // Before, this answer was 7.6 MB, pushed to every client every second.
    expect(text.length).toBeLessThan(600_000);
    expect(map.nodes.length).toBeLessThanOrEqual(150 + 250 + 2);
    expect(map.hidden).toEqual({ services: PRODUCERS - 150, channels: CHANNELS - 250, edges: 0 });
    const others = map.nodes.find((n) => n.id === 'others:services');
    expect(others).toMatchObject({ name: '19,850 other services', grouped: 19_850 });
    // Nothing counted is lost in the grouping.
    const sent = map.nodes.filter((n) => n.kind === 'service').reduce((sum, n) => sum + n.eventCount, 0);
    expect(sent).toBe(PRODUCERS);
  });

  it('is given whole when asked for, within the largest bound, and refuses a bound past it', async () => {
    const { body } = await api<Topology>(server, '/api/topology?services=20000&channels=5000&edges=20000');
    expect(body.nodes).toHaveLength(PRODUCERS + CHANNELS);
    expect(body.hidden).toBeUndefined();
    const refused = await api<{ error: string; message: string }>(server, '/api/topology?services=20001');
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/services must be a whole number from 1 to 20,000/);
  });

  it('reaches a live client whole once, then as deltas that rebuild the same map', async () => {
    const client = liveClient(server);
    const whole: LiveTopology[] = [];
    const deltas: TopologyDelta[] = [];
    let bytes = 0;
    client.on('topology', (t) => {
      whole.push(t);
      bytes += JSON.stringify(t).length;
    });
    client.on('topologyDelta', (d) => {
      deltas.push(d);
      bytes += JSON.stringify(d).length;
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    expect((await client.emitWithAck('subscribe', {})).ok).toBe(true);
    const first = await eventually(() => whole[0], 5_000, 'the whole map');
    // Rates fall as the replay's second leaves the rate window: the map changes each second.
    await eventually(() => (deltas.length >= 3 ? true : undefined), 15_000, 'three deltas');
    client.close();
    expect(whole).toHaveLength(1);
    let map: Topology = first;
    let version = first.version;
    for (const d of deltas) {
      expect(d.from).toBe(version);
      map = applyTopologyDelta(map, d);
      version = d.to;
    }
    const now = (await api<Topology>(server, '/api/topology')).body;
    expect(map.nodes.map((n) => n.id)).toEqual(now.nodes.map((n) => n.id));
    expect(map.hidden).toEqual(now.hidden);
    // The whole map once and a few deltas: hundreds of KB, where every second was 7.6 MB before.
    expect(bytes).toBeLessThan(1_500_000);
  }, 30_000);

  it('resends the map whole to a client that asks again', async () => {
    const client = liveClient(server);
    const whole: LiveTopology[] = [];
    client.on('topology', (t) => whole.push(t));
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await client.emitWithAck('subscribe', {});
    await eventually(() => whole[0], 5_000, 'the whole map');
    client.emit('resyncTopology');
    const again = await eventually(() => whole[1], 5_000, 'the map again');
    expect(again.nodes.length).toBe(whole[0]?.nodes.length);
    client.close();
  });
});
