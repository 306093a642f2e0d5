import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIVE_NAMESPACE } from '@flowscope/shared';
import { Kafka, logLevel } from 'kafkajs';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { eventually } from './helpers.js';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'flowscope-secrets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const brokers = inject('kafkaBrokers');
const TOKEN = 'secrets-test-token-0123456789';

type Cli = { url: string; output: () => string; stop: () => Promise<void> };

/** The real CLI in a child process, logging everything (trace level) so its output can be searched. */
async function startCli(args: string[]): Promise<Cli> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'src/main.ts', '--port', '0', ...args],
    {
      cwd: serverDir,
      env: { ...process.env, FLOWSCOPE_TOKEN: TOKEN, FLOWSCOPE_LOG_LEVEL: 'trace', NODE_ENV: 'production' },
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = await eventually(() => /Open (http:\/\/[^/]+)\//.exec(output)?.[1], 30_000, `CLI start:\n${output}`);
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const get = async (cli: Cli, path: string) =>
  (await fetch(`${cli.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

/** Everything a socket client receives, as text. */
async function socketTranscript(cli: Cli, ms: number): Promise<string> {
  const socket = io(`${cli.url}${LIVE_NAMESPACE}`, {
    auth: { token: TOKEN },
    transports: ['websocket'],
    reconnection: false,
  });
  const frames: string[] = [];
  socket.onAny((event: string, ...args: unknown[]) => frames.push(JSON.stringify([event, ...args])));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.emit('subscribe', { afterSeq: 0 }, (ack: unknown) => frames.push(JSON.stringify(ack)));
  await new Promise((r) => setTimeout(r, ms));
  socket.close();
  return frames.join('\n');
}

const filesText = (dir: string) =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');

describe('secrets never leave the server', () => {
  it('masked payload fields, headers and keys appear zero times in the database, socket frames, API, exports and logs', async () => {
    const topic = `masked-${randomBytes(3).toString('hex')}`;
    const card = `4111-CARD-${randomBytes(6).toString('hex')}`;
    const bearer = `BEARER-${randomBytes(6).toString('hex')}`;
    const kafka = new Kafka({ clientId: 'secrets', brokers: [brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        {
          key: 'A-1',
          value: JSON.stringify({ orderId: 'A-1', card: { number: card, brand: 'visa' } }),
          headers: { authorization: `Bearer ${bearer}` },
        },
      ],
    });
    await producer.disconnect();

    const dataDir = join(scratch, 'masked');
    const cli = await startCli([
      '--kafka',
      brokers,
      '--topics',
      topic,
      '--from',
      'earliest',
      '--data-dir',
      dataDir,
      '--mask',
      'payload:card.number',
      '--mask',
      'header:authorization',
    ]);
    let seen = '';
    try {
      const events = await eventually(
        async () => {
          const text = await get(cli, '/api/events');
          return text.includes('A-1') ? text : undefined;
        },
        30_000,
        'the masked event',
      );
      expect(events).toContain('[masked]');
      expect(events).toContain('visa'); // unmasked fields stay
      seen += events;
      seen += await get(cli, '/api/flows?key=A-1');
      const flowId = JSON.parse(await get(cli, '/api/flows?key=A-1')).flows[0].id as string;
      seen += await get(cli, `/api/flows/${encodeURIComponent(flowId)}`);
      seen += await get(cli, '/api/health');
      // Exports are built from the masked events too: a capture, diagrams, AsyncAPI with examples.
      const capture = await get(cli, '/api/export/ndjson');
      expect(capture).toContain('A-1');
      seen += capture;
      seen += await get(cli, `/api/export/ndjson?flow=${encodeURIComponent(flowId)}`);
      seen += await get(cli, `/api/export/mermaid?flow=${encodeURIComponent(flowId)}`);
      seen += await get(cli, '/api/export/mermaid?map=1');
      seen += await get(cli, '/api/export/asyncapi');
      seen += await get(cli, '/api/catalog');
      seen += await socketTranscript(cli, 1500);
      expect(seen).toContain('A-1');
    } finally {
      await cli.stop();
    }
    seen += cli.output();
    seen += filesText(dataDir);
    for (const secret of [card, bearer]) expect(seen.split(secret).length - 1, secret).toBe(0);
  });

  it('broker credentials never appear in the API, socket frames or logs', async () => {
    const password = `hunter2-${randomBytes(6).toString('hex')}`;
    const config = join(scratch, 'sasl.yaml');
    writeFileSync(
      config,
      `kafka:\n  - cluster: secured\n    brokers: [${brokers}]\n    topics: [orders]\n    sasl: { mechanism: scram-sha-256, username: flowscope, password: { env: TEST_KAFKA_PASSWORD } }\n`,
    );
    process.env.TEST_KAFKA_PASSWORD = password;
    const cli = await startCli(['--config', config, '--no-store']);
    let seen = '';
    try {
      // The broker has no SASL listener: the source fails, and says so, without the password.
      const health = await eventually(
        async () => {
          const text = await get(cli, '/api/health');
          return /"state":"(disconnected|reconnecting)"/.test(text) ? text : undefined;
        },
        40_000,
        'the secured source to fail',
      );
      seen += health;
      seen += await socketTranscript(cli, 500);
    } finally {
      await cli.stop();
      delete process.env.TEST_KAFKA_PASSWORD;
    }
    seen += cli.output();
    expect(seen).toContain('secured');
    expect(seen.split(password).length - 1).toBe(0);
  });
});
