import type { LiveEventBatch } from '@flowscope/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../src/server.js';
import { eventually, startFlowscope, TOKEN } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  // A busy demo (about 1,600 events/s) and a small buffer, so growth would show.
  server = await startFlowscope(['--demo-rate', '200', '--buffer', '2000']);
});
afterAll(() => server.close());

/**
 * A socket.io client spoken by hand over a raw WebSocket, so the test can stop reading from the
 * TCP socket the way a frozen browser tab does.
 */
function rawLiveClient(url: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const batches: LiveEventBatch[] = [];
  ws.on('message', (data) => {
    const text = data.toString();
    if (text === '2')
      ws.send('3'); // engine.io ping → pong
    else if (text.startsWith('0{')) ws.send(`40/live,${JSON.stringify({ token: TOKEN })}`);
    else if (text.startsWith('40/live,')) ws.send('42/live,0["subscribe",{}]');
    else if (text.startsWith('42/live,["events"'))
      batches.push(JSON.parse(text.slice('42/live,'.length))[1] as LiveEventBatch);
  });
  return {
    batches,
    pause: () => (ws as unknown as { _socket: { pause(): void } })._socket.pause(),
    resume: () => (ws as unknown as { _socket: { resume(): void } })._socket.resume(),
    close: () => ws.close(),
  };
}

describe('a client that does not read', () => {
  it('gets an explicit skip marker instead of an unbounded queue, and server memory stays bounded', async () => {
    const client = rawLiveClient(server.url);
    await eventually(() => (client.batches.length > 3 ? true : undefined), 10_000, 'first batches');

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    client.pause();
    await new Promise((r) => setTimeout(r, 6000)); // ~10,000 events produced meanwhile
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    client.resume();

    const marker = await eventually(
      () => client.batches.find((b) => b.skipped > 0),
      15_000,
      'a batch with a skip marker',
    );
    expect(marker.skipped).toBeGreaterThan(100);
    // What was queued for the paused client is a few batches, not 10,000 events.
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
    // After the marker the stream continues.
    const after = client.batches.indexOf(marker);
    await eventually(() => (client.batches.length > after + 3 ? true : undefined), 10_000, 'batches after the marker');
    client.close();
  });
});
