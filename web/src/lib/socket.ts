import {
  LIVE_NAMESPACE,
  flowEventSchema,
  sourceStatusSchema,
  topologySchema,
  type ClientToServerEvents,
  type FlowEvent,
  type ServerToClientEvents,
} from '@flowscope/shared';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { useFlowWatchStore } from '../stores/flowWatchStore';
import { useLiveStore } from '../stores/liveStore';

/**
 * The only module that talks socket.io. Everything the server pushes is parsed here with the
 * shared schemas and handed to the live store; nothing else writes live data.
 */

const SUBSCRIBE_TIMEOUT_MS = 5_000;
const RESTART_RETRY_MS = 1_500;

// Incoming payloads are untrusted until parsed, so the wire type says `unknown`.
type WireServerEvents = { [K in keyof ServerToClientEvents]: (payload: unknown) => void };

const batchSchema = z.object({ events: z.array(z.unknown()), skipped: z.number().int().nonnegative() });
const helloSchema = z.object({ serverTime: z.number(), lastSeq: z.number().int().nonnegative(), version: z.string() });
const ackSchema = z.union([
  z.object({ ok: z.literal(true), hello: helloSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
const sourcesSchema = z.array(sourceStatusSchema);
const flowChangeSchema = z.object({ watchedId: z.string(), flowId: z.string() });

// The open socket and the flow the trace view watches; the watch is renewed on every connect,
// because the server forgets it with the old connection.
let current: Socket<WireServerEvents, ClientToServerEvents> | null = null;
let watchedFlowId: string | null = null;

/** Be told (through the flow-watch store) when this flow gains events; `null` stops watching. */
export function watchFlow(flowId: string | null): void {
  if (flowId === watchedFlowId) return;
  watchedFlowId = flowId;
  if (!current?.connected) return; // sent on connect
  if (flowId) current.emit('watchFlow', { flowId });
  else current.emit('unwatchFlow');
}

const firstIssue = (error: z.ZodError) => {
  const issue = error.issues[0];
  if (!issue) return 'invalid data';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
};

function describeConnectError(err: Error): { reason: string; problem: 'unauthorized' | 'network' } {
  if (err.message.startsWith('unauthorized')) {
    return {
      problem: 'unauthorized',
      reason:
        'The server did not accept this page’s access token. Open the URL the server printed at startup (it ends with ?token=…).',
    };
  }
  return { problem: 'network', reason: `Cannot reach the Flowscope server (${err.message}). Is it still running?` };
}

/** Connects to `/live` and keeps the live store fed; returns a function that disconnects. */
export function startLive(): () => void {
  const store = useLiveStore.getState;
  const socket: Socket<WireServerEvents, ClientToServerEvents> = io(LIVE_NAMESPACE, { withCredentials: true });
  current = socket;
  let everConnected = false;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const subscribe = () => {
    const afterSeq = store().lastSeq;
    const request = afterSeq > 0 ? { afterSeq } : {};
    socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('subscribe', request, (err: Error | null, raw: unknown) => {
      if (err) {
        store().reportProtocolError('subscribe', 'The server did not answer the subscription in time.', Date.now());
        return;
      }
      const ack = ackSchema.safeParse(raw);
      if (!ack.success) {
        store().reportProtocolError('subscribe', firstIssue(ack.error), Date.now());
      } else if (!ack.data.ok) {
        store().reportProtocolError('subscribe', ack.data.error, Date.now());
      } else {
        store().serverHello(ack.data.hello, Date.now());
      }
    });
  };

  socket.on('connect', () => {
    everConnected = true;
    store().setConnection({ status: 'connected', since: Date.now() });
    subscribe();
    if (watchedFlowId) socket.emit('watchFlow', { flowId: watchedFlowId });
  });

  socket.on('connect_error', (err) => {
    const { reason, problem } = describeConnectError(err);
    // `active` is false when the server refused us (middleware error): retrying cannot help.
    const status = socket.active ? (everConnected ? 'reconnecting' : 'connecting') : 'disconnected';
    store().setConnection({ status, reason, problem, since: Date.now() });
  });

  socket.on('disconnect', (reason) => {
    if (stopped) return;
    if (reason === 'io server disconnect') {
      // The server closed us (e.g. it is shutting down); socket.io will not retry on its own.
      store().setConnection({
        status: 'reconnecting',
        reason: 'The server closed the connection.',
        problem: 'server-closed',
        since: Date.now(),
      });
      retryTimer = setTimeout(() => socket.connect(), RESTART_RETRY_MS);
      return;
    }
    store().setConnection({
      status: 'reconnecting',
      reason: `Connection lost (${reason}).`,
      problem: 'network',
      since: Date.now(),
    });
  });

  socket.on('events', (raw) => {
    const batch = batchSchema.safeParse(raw);
    if (!batch.success) {
      store().reportProtocolError('events', firstIssue(batch.error), Date.now());
      return;
    }
    const events: FlowEvent[] = [];
    for (const candidate of batch.data.events) {
      const parsed = flowEventSchema.safeParse(candidate);
      if (parsed.success) events.push(parsed.data as FlowEvent);
      else store().reportProtocolError('event', firstIssue(parsed.error), Date.now());
    }
    store().receiveEvents(events, batch.data.skipped, Date.now());
  });

  socket.on('topology', (raw) => {
    const parsed = topologySchema.safeParse(raw);
    if (parsed.success) store().setTopology(parsed.data);
    else store().reportProtocolError('topology', firstIssue(parsed.error), Date.now());
  });

  socket.on('sources', (raw) => {
    const parsed = sourcesSchema.safeParse(raw);
    if (parsed.success) store().setSources(parsed.data);
    else store().reportProtocolError('sources', firstIssue(parsed.error), Date.now());
  });

  socket.on('flowChanged', (raw) => {
    const parsed = flowChangeSchema.safeParse(raw);
    if (parsed.success) useFlowWatchStore.getState().flowChanged(parsed.data);
    else store().reportProtocolError('flowChanged', firstIssue(parsed.error), Date.now());
  });

  // `hello` is also delivered in the subscribe ack, which is what we act on.
  socket.on('hello', (raw) => {
    const parsed = helloSchema.safeParse(raw);
    if (parsed.success) store().serverHello(parsed.data, Date.now());
  });

  return () => {
    stopped = true;
    if (current === socket) current = null;
    if (retryTimer) clearTimeout(retryTimer);
    socket.removeAllListeners();
    socket.disconnect();
  };
}
