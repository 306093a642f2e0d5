/**
 * The live clients of load.test.ts, in a process of their own (as browser tabs are): their work
 * does not run on the server's event loop, and the server's memory is the test process's alone.
 * Driven over IPC: `node --import tsx loadClients.ts <url> <token> <sockets> <stalled>`.
 */
import WebSocket from 'ws';

/** What the clients report to the test. */
export type LoadReport = {
  /** Each reading client's batch latencies (ms): arrival time minus the batch's oldest receivedAt. */
  readonly latencies: number[];
  readonly readingBatchesMin: number;
  /** Per stalled client: events announced as skipped after it read again, and whether the server closed it. */
  readonly stalled: { skipped: number; closed: boolean }[];
};
export type ParentMessage = 'stall' | 'resume';
export type ChildMessage = { kind: 'ready' } | { kind: 'stalled' } | { kind: 'report'; report: LoadReport };

const RECEIVED_AT = Buffer.from('"receivedAt":');
const SKIPPED = Buffer.from('"skipped":');
const EVENTS_FRAME = Buffer.from('42/live,["events"');

/** The integer after the `key` found at `at` in a JSON text, read without parsing the whole text. */
function intAfter(buf: Buffer, key: Buffer, at: number): number | undefined {
  if (at < 0) return undefined;
  let n = 0;
  let i = at + key.length;
  for (; i < buf.length && (buf[i] ?? 0) >= 48 && (buf[i] ?? 0) <= 57; i++) n = n * 10 + (buf[i] ?? 0) - 48;
  return i > at + key.length ? n : undefined;
}

/**
 * A subscribed live client over a raw WebSocket, so it can stop reading its TCP socket the way a
 * frozen tab does. Of each batch it reads the oldest event's receivedAt (the batch's worst
 * latency) and the skip count, without parsing the batch: 200 of them share two cores with the server.
 */
function rawLiveClient(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    skipUTF8Validation: true,
  });
  const state = { batches: 0, skipped: 0, latencies: [] as number[], closed: false };
  ws.on('message', (data: Buffer) => {
    if (data.length === 1 && data[0] === 0x32) return ws.send('3'); // engine.io ping → pong
    if (data.subarray(0, EVENTS_FRAME.length).equals(EVENTS_FRAME)) {
      const now = Date.now();
      state.batches += 1;
      const receivedAt = intAfter(data, RECEIVED_AT, data.indexOf(RECEIVED_AT));
      if (receivedAt !== undefined) state.latencies.push(now - receivedAt);
      state.skipped += intAfter(data, SKIPPED, data.lastIndexOf(SKIPPED)) ?? 0;
      return;
    }
    const text = data.subarray(0, 16).toString();
    if (text.startsWith('0{')) ws.send(`40/live,${JSON.stringify({ token })}`);
    else if (text.startsWith('40/live,')) ws.send('42/live,0["subscribe",{}]');
  });
  ws.on('close', () => (state.closed = true));
  ws.on('error', () => undefined);
  const tcp = () => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { state, pause: () => tcp().pause(), resume: () => tcp().resume() };
}

const until = async (check: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
};

async function main() {
  const [url = '', token = '', sockets = '0', stalledCount = '0'] = process.argv.slice(2);
  const send = (m: ChildMessage) => process.send?.(m);
  const clients = Array.from({ length: Number(sockets) }, () => rawLiveClient(url, token));
  const stalled = clients.slice(0, Number(stalledCount));
  const reading = clients.slice(Number(stalledCount));
  await until(() => clients.every((c) => c.state.batches > 2), 30_000);
  send({ kind: 'ready' });
  // The test gone (finished, failed or killed): nothing is left running.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ParentMessage) => {
    if (m === 'stall') {
      for (const c of stalled) c.pause();
      for (const c of reading) c.state.latencies.length = 0; // latency under load, not while connecting
      send({ kind: 'stalled' });
      return;
    }
    for (const c of stalled) c.resume();
    // Reading again, a stalled client first gets what was queued, then a batch that says what it missed.
    void until(() => stalled.every((c) => c.state.skipped > 0 || c.state.closed), 20_000).then(() =>
      send({
        kind: 'report',
        report: {
          latencies: reading.flatMap((c) => c.state.latencies),
          readingBatchesMin: Math.min(...reading.map((c) => c.state.batches)),
          stalled: stalled.map((c) => ({ skipped: c.state.skipped, closed: c.state.closed })),
        },
      }),
    );
  });
}

void main();
