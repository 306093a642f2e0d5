/**
 * The least work an end-to-end Kafka ingest must do per event, each part timed on its own in the
 * bench's process (CPU per event): the kafkajs client's fetch and record decoding (a bare
 * `eachBatch` consumer, timed by the caller), one JSON.parse of the payload (correlation keys and
 * the catalog read its fields), deflating it for the store (the disk budget), and one copy of it
 * between threads (the broker client and the store's writer cannot share the main thread's core).
 * Their sum bounds what two cores can ingest, before sequencing, correlation, the map, the
 * catalog, SQLite and garbage collection are counted.
 */
import { Worker } from 'node:worker_threads';
import { PieceDeflater } from '../store/pieceDeflater.js';

export type FloorParts = { parse: number; deflate: number; copy: number };

/** µs of CPU per body for each part, best of three rounds (the other rounds are warm-up and noise). */
export async function floorParts(bodies: readonly string[]): Promise<FloorParts> {
  const n = bodies.length;
  const cpuPer = (work: () => void): number => {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  };
  let parse = Infinity;
  let deflate = Infinity;
  let sink: unknown;
  const dictionary = Buffer.from(bodies.slice(0, 16).join('\n'));
  const deflater = new PieceDeflater(1);
  for (let round = 0; round < 3; round++) {
    parse = Math.min(
      parse,
      cpuPer(() => bodies.forEach((b) => (sink = JSON.parse(b)))),
    );
    deflate = Math.min(
      deflate,
      cpuPer(() => {
        // Pieces of 16 lines against a dictionary, 1,024 lines to a block, as the writer does.
        for (let i = 0; i < n; i += 16) {
          if (i % 1024 === 0) deflater.begin();
          deflater.piece(bodies, i, Math.min(n, i + 16), dictionary);
        }
      }),
    );
  }
  void sink;
  return { parse, deflate, copy: await copyCost(bodies) };
}

/** CPU per body (both threads) of posting the bodies to another thread, 1,000 to a message. */
async function copyCost(bodies: readonly string[]): Promise<number> {
  const worker = new Worker(
    'require("node:worker_threads").parentPort.on("message", (m) => { if (m === "end") require("node:worker_threads").parentPort.postMessage("done"); });',
    { eval: true },
  );
  await new Promise((resolve) => worker.once('online', resolve));
  const start = process.cpuUsage();
  for (let i = 0; i < bodies.length; i += 1000) worker.postMessage(bodies.slice(i, i + 1000));
  worker.postMessage('end');
  await new Promise((resolve) => worker.once('message', resolve));
  const used = process.cpuUsage(start);
  await worker.terminate();
  return (used.user + used.system) / bodies.length;
}
