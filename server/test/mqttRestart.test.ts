import { randomBytes } from 'node:crypto';
import type { FlowEvent, Gap } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';
import { allEvents, api, eventually, sourceStatus, startFlowscope } from './helpers.js';
import { appClient, privateBroker } from './mqttBroker.js';

const run = randomBytes(3).toString('hex');

describe('an MQTT broker restarted mid-stream', () => {
  it('records the window it was away as a gap, and reads on once it is back, nothing twice', async () => {
    const broker = await privateBroker('unused', { security: false });
    // The application's publisher reconnects by itself, as a device does.
    const publisher = await appClient(`flowscope-it-restart-pub-${run}`, broker.url, { reconnectPeriod: 200 });
    const id = `mqtt:restart-${run}`;
    const server = await startFlowscope([
      ...['--mqtt', broker.url, '--mqtt-topics', 'plant/#', '--mqtt-name', `restart-${run}`],
    ]);
    const payloads = async () =>
      (await allEvents(server))
        .filter((e: FlowEvent) => e.channel === 'plant/line-1')
        .sort((a, b) => a.seq - b.seq)
        .map((e) => e.payload.value);
    const state = async () => (await sourceStatus(server, id))?.state;
    try {
      await eventually(async () => ((await state()) === 'connected' ? true : undefined), 20_000, 'connected');
      await publisher.publishAsync('plant/line-1', '{"n":1}', { qos: 1 });
      await eventually(async () => ((await payloads()).length === 1 ? true : undefined), 10_000, 'the first message');

      await broker.restart();
      await eventually(async () => ((await state()) === 'connected' ? true : undefined), 30_000, 'connected again');
      await eventually(() => (publisher.connected ? true : undefined), 10_000, 'the publisher back');
      await publisher.publishAsync('plant/line-1', '{"n":2}', { qos: 1 });
      await eventually(async () => ((await payloads()).length === 2 ? true : undefined), 10_000, 'the message after');
      expect(await payloads()).toEqual(['{"n":1}', '{"n":2}']);
      // MQTT keeps nothing for a clean-start session: the time it was away is a gap, shown.
      const gap = await eventually(async () =>
        (await api<{ gaps: Gap[] }>(server, '/api/gaps')).body.gaps.find((g) => g.source === id),
      );
      expect(gap.reason).toBe('not-running');
      expect(gap.from).toBeLessThan(gap.until ?? 0);
    } finally {
      await server.close();
      await publisher.endAsync();
      await broker.stop();
    }
  }, 90_000);
});
