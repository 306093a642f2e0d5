import { connect, createServer, type Server as NetServer, type Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import {
  LIVE_NAMESPACE,
  type ClientToServerEvents,
  type Consumer,
  type FlowEvent,
  type ServerToClientEvents,
  type SourceState,
  type SourceStatus,
} from '@flowscope/shared';
import { resolveConfig, buildCli, type Config } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import type { RegisteredSource } from '../src/sourceRegistry.js';
import type {
  EventSource,
  LagReading,
  RawRecord,
  SourceGap,
  SourceProblem,
  SourceSink,
  UnsequencedEvent,
} from '../src/sources/contract.js';

export const TOKEN = 'integration-token-0123456789abcdef';

/** Starts a real Flowscope server on a free port with the given CLI flags. */
export async function startFlowscope(
  args: string[],
  sources?: RegisteredSource[] | EventSource[],
): Promise<RunningServer & { config: Config }> {
  // Tests keep history in memory unless they choose a data dir (never the user's ~/.flowscope).
  const storeArgs = args.includes('--data-dir') ? [] : ['--no-store'];
  const cli = buildCli()
    .exitOverride()
    .parse(['--port', '0', '--token', TOKEN, ...storeArgs, ...args], { from: 'user' });
  const result = resolveConfig(cli);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  const server = await startServer(result.config, sources);
  return Object.assign(server, { config: result.config });
}

export async function api<T = unknown>(
  server: RunningServer,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Polls until `check` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const address = srv.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((r) => srv.close(r));
  return port;
}

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function liveClient(server: RunningServer, opts: { token?: string; origin?: string } = {}): LiveClient {
  return io(`${server.url}${LIVE_NAMESPACE}`, {
    auth: { token: opts.token ?? TOKEN },
    transports: ['websocket'],
    reconnection: false,
    ...(opts.origin ? { extraHeaders: { origin: opts.origin } } : {}),
  });
}

export async function sourceStatus(server: RunningServer, id: string): Promise<SourceStatus | undefined> {
  const { body } = await api<{ sources: SourceStatus[] }>(server, '/api/health');
  return body.sources.find((s) => s.id === id);
}

export async function allEvents(server: RunningServer): Promise<FlowEvent[]> {
  const { body } = await api<{ events: FlowEvent[] }>(server, '/api/events?limit=500');
  return body.events;
}

/** Every event the server holds, page by page (`allEvents` reads the newest 500). */
export async function everyEvent(server: RunningServer): Promise<FlowEvent[]> {
  const out: FlowEvent[] = [];
  let before: number | undefined;
  for (;;) {
    const { body } = await api<{ events: FlowEvent[]; nextCursor?: number }>(
      server,
      `/api/events?limit=500${before !== undefined ? `&before=${before}` : ''}`,
    );
    out.push(...body.events);
    if (body.nextCursor === undefined) return out;
    before = body.nextCursor;
  }
}

/** The server's events once it holds at least `count` of them. */
export function eventsAtLeast(
  server: RunningServer,
  count: number,
  timeoutMs: number,
  read: (server: RunningServer) => Promise<FlowEvent[]> = allEvents,
): Promise<FlowEvent[]> {
  return eventually(
    async () => {
      const all = await read(server);
      return all.length >= count ? all : undefined;
    },
    timeoutMs,
    `${count} events`,
  );
}

/**
 * A SourceSink that keeps everything a source tells it, as ingest would see it: records (and the
 * batches they came in), replayed events, states (and each state with its problem), gaps, consumers.
 */
export function recordingSink() {
  const records: RawRecord[] = [];
  const batches: (readonly RawRecord[])[] = [];
  const events: UnsequencedEvent[] = [];
  const states: SourceState[] = [];
  const reports: { state: SourceState; problem?: SourceProblem }[] = [];
  const gaps: SourceGap[] = [];
  const consumers: (readonly Consumer[])[] = [];
  const lags: (readonly LagReading[])[] = [];
  const sink: SourceSink = {
    records: (batch) => {
      batches.push(batch);
      records.push(...batch);
      return Promise.resolve();
    },
    events: (batch) => {
      events.push(...batch);
      return Promise.resolve();
    },
    state: (state, problem) => {
      states.push(state);
      reports.push({ state, ...(problem ? { problem } : {}) });
    },
    gap: (g) => void gaps.push(g),
    consumers: (c) => void consumers.push(c),
    lag: (reading) => void lags.push(reading),
  };
  return { sink, records, batches, events, states, reports, gaps, consumers, lags };
}

/** Every Kafka request a tap may send: reads, its own group's membership, and deleting that group (and SASL). */
export const KAFKA_READ_ONLY_APIS = new Set([
  'ApiVersions',
  'Metadata',
  'ListOffsets',
  'Fetch',
  'FindCoordinator',
  'GroupCoordinator',
  'JoinGroup',
  'SyncGroup',
  'Heartbeat',
  'LeaveGroup',
  'OffsetFetch',
  'DescribeGroups',
  'ListGroups',
  'DeleteGroups',
  'SaslHandshake',
  'SaslAuthenticate',
]);

/** A TCP forwarder to `target` (host:port), listening on `port` only once opened: a broker that comes back. */
export function tcpForwarder(port: number, target: string) {
  let server: NetServer | undefined;
  const sockets = new Set<NetSocket>();
  const [host, targetPort] = target.split(':') as [string, string];
  return {
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = connect(Number(targetPort), host);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('error', () => undefined);
            s.on('close', () => sockets.delete(s));
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, '127.0.0.1', () => resolve());
      }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
