import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect as tcp } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { FlowEvent } from '@flowscope/shared';
import { allEvents, eventually, freePort, sourceStatus } from './helpers.js';

/** The machine's NATS (JetStream on): never restarted by tests; a forwarder stands in for a lost connection. */
export const NATS_URL = 'nats://127.0.0.1:4222';

/** An application's connection, with JetStream; streams it creates are deleted by `close`. */
export async function natsApp(): Promise<{
  nc: NatsConnection;
  jsm: JetStreamManager;
  js: JetStreamClient;
  stream(name: string, subjects: string[], more?: object): Promise<void>;
  close(): Promise<void>;
}> {
  const nc = await connect({ servers: NATS_URL, name: 'flowscope-test-app' });
  const jsm = await jetstreamManager(nc);
  const created: string[] = [];
  return {
    nc,
    jsm,
    js: jetstream(nc),
    stream: async (name, subjects, more = {}) => {
      await jsm.streams.add({ name, subjects, storage: 'memory' as never, ...more });
      created.push(name);
    },
    close: async () => {
      for (const s of created) await jsm.streams.delete(s).catch(() => undefined);
      await nc.close();
    },
  };
}

/** Connections (name, id) of the account right now (`$SYS.REQ.ACCOUNT.PING.CONNZ`: no monitoring port needed). */
export async function connectionNames(nc: NatsConnection): Promise<string[]> {
  const reply = await nc.request('$SYS.REQ.ACCOUNT.PING.CONNZ', '{}', { timeout: 2000 });
  const { data } = reply.json<{ data: { connections: { name?: string }[] } }>();
  return data.connections.map((c) => c.name ?? '');
}

/** Consumers of a stream, by name. */
export async function consumerNames(jsm: JetStreamManager, stream: string): Promise<string[]> {
  const names: string[] = [];
  for await (const c of jsm.consumers.list(stream)) names.push(c.name);
  return names.sort();
}

export const unique = () => randomBytes(3).toString('hex');

export async function connected(server: Parameters<typeof sourceStatus>[0], id: string) {
  return eventually(async () => {
    const s = await sourceStatus(server, id);
    return s?.state === 'connected' ? s : undefined;
  });
}

export const eventsOn = async (server: Parameters<typeof allEvents>[0], channel: string): Promise<FlowEvent[]> =>
  (await allEvents(server)).filter((e) => e.channel === channel).sort((a, b) => a.seq - b.seq);

/**
 * A private nats-server of the test's own on a free port (the machine's is never restarted):
 * `args` such as `--user`/`--pass`, or `-js -sd <dir>` for JetStream on disk. `restart` stops it
 * and starts it again on the same port and with the same arguments, as an operator would.
 */
export async function privateNats(args: string[]) {
  const port = await freePort();
  const up = async () => {
    const child = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), ...args], {
      stdio: 'ignore',
    });
    await eventually(
      () =>
        new Promise<true | undefined>((resolve) => {
          const s = tcp(port, '127.0.0.1', () => {
            s.destroy();
            resolve(true);
          });
          s.on('error', () => resolve(undefined));
        }),
      10_000,
      'nats-server up',
    );
    return child;
  };
  let child = await up();
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    stop,
    restart: async (downMs: number, meanwhile: () => Promise<void> = async () => undefined) => {
      await stop();
      await meanwhile();
      await new Promise((r) => setTimeout(r, downMs));
      child = await up();
    },
  };
}
