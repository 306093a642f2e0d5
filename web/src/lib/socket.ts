import {
  applyTopologyDelta,
  LIVE_NAMESPACE,
  liveServerMessageSchemas as schemas,
  subscribeAckSchema,
  type ClientToServerEvents,
  type FlowEvent,
  type ServerToClientEvents,
} from '@flowscope/shared';
import { io, type Socket } from 'socket.io-client';
import { useDebugStore } from '../stores/debugStore';
import { useFlowWatchStore } from '../stores/flowWatchStore';
import { useLiveStore } from '../stores/liveStore';
import { readEventBatch, readMessage, type Read } from './liveMessages';

/**
 * The only module that talks socket.io. Everything the server pushes is parsed here with the
 * shared schemas and handed to the live store; nothing else writes live data.
 */

const SUBSCRIBE_TIMEOUT_MS = 5_000;
const RESTART_RETRY_MS = 1_500;

// Incoming payloads are untrusted until parsed, so the wire type says `unknown`.
type WireServerEvents = { [K in keyof ServerToClientEvents]: (payload: unknown) => void };
type LiveSocket = Socket<WireServerEvents, ClientToServerEvents>;

// The open socket and the flow the trace view watches; the watch is renewed on every connect,
// because the server forgets it with the old connection.
let current: LiveSocket | null = null;
let watchedFlowId: string | null = null;
/** The version of the map held, which the server's next delta must build on. */
let mapVersion: number | undefined;

/** Be told (through the flow-watch store) when this flow gains events; `null` stops watching. */
export function watchFlow(flowId: string | null): void {
  if (flowId === watchedFlowId) return;
  watchedFlowId = flowId;
  if (!current?.connected) return; // sent on connect
  if (flowId) current.emit('watchFlow', { flowId });
  else current.emit('unwatchFlow');
}

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

const store = useLiveStore.getState;

// Event batches are parsed as they arrive and handed to the store once per frame: however many
// arrive in between (a reconnect's replay comes in chunks of 500), the stream renders once, just
// before it is painted. A hidden tab gets no frames, hence the timer.
const LATEST_APPLY_MS = 250;
type Arrived = Readonly<{ events: readonly FlowEvent[]; skipped: number; untested: number; at: number }>;
let arrived: Arrived[] = [];
let frame = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function applyArrived() {
  cancelAnimationFrame(frame);
  clearTimeout(timer);
  frame = 0;
  timer = undefined;
  const batches = arrived;
  arrived = [];
  for (const b of batches) store().receiveEvents(b.events, b.skipped, b.at, b.untested);
}

function receive(batch: Arrived) {
  arrived.push(batch);
  if (timer !== undefined) return;
  frame = requestAnimationFrame(applyArrived);
  timer = setTimeout(applyArrived, LATEST_APPLY_MS);
}
const reportProblem = (what: string, problem: string) => store().reportProtocolError(what, problem, Date.now());

/** Hands a parsed message on, or shows why it was left out (never fatal). */
function deliver<T>(what: string, read: Read<T>, handle: (value: T) => void) {
  if (read.ok) handle(read.value);
  else reportProblem(what, read.problem);
}

function subscribe(socket: LiveSocket) {
  applyArrived(); // what arrived before counts for the seq to resume after
  const afterSeq = store().lastSeq;
  const request = afterSeq > 0 ? { afterSeq } : {};
  socket.timeout(SUBSCRIBE_TIMEOUT_MS).emit('subscribe', request, (err: Error | null, raw: unknown) => {
    if (err) return reportProblem('subscribe', 'The server did not answer the subscription in time.');
    deliver('subscribe', readMessage(subscribeAckSchema, raw), (ack) => {
      applyArrived(); // a restart is judged against every event received before the hello
      if (ack.ok) store().serverHello(ack.hello, Date.now());
      else reportProblem('subscribe', ack.error);
    });
  });
}

/** Every message the server pushes, each parsed with its shared schema before it reaches a store. */
function listenToMessages(socket: LiveSocket) {
  socket.on('events', (raw) =>
    deliver('events', readEventBatch(raw), (batch) => {
      for (const problem of batch.problems) reportProblem('event', problem);
      receive({ events: batch.events, skipped: batch.skipped, untested: batch.untested, at: Date.now() });
    }),
  );
  socket.on('topology', (raw) =>
    deliver('topology', readMessage(schemas.topology, raw), ({ version, ...topology }) => {
      mapVersion = version;
      store().setTopology(topology);
    }),
  );
  // Each second, what changed in the map since the version held; a map of another version (none
  // yet, or a delta missed) is asked for whole again.
  socket.on('topologyDelta', (raw) =>
    deliver('topologyDelta', readMessage(schemas.topologyDelta, raw), (delta) => {
      const held = store().topology;
      if (!held || mapVersion !== delta.from) {
        mapVersion = undefined;
        socket.emit('resyncTopology');
        return;
      }
      mapVersion = delta.to;
      store().setTopology(applyTopologyDelta(held, delta));
    }),
  );
  socket.on('sources', (raw) => deliver('sources', readMessage(schemas.sources, raw), store().setSources));
  socket.on('flowChanged', (raw) =>
    deliver('flowChanged', readMessage(schemas.flowChanged, raw), useFlowWatchStore.getState().flowChanged),
  );
  socket.on('breakpoints', (raw) =>
    deliver('breakpoints', readMessage(schemas.breakpoints, raw), useDebugStore.getState().setBreakpoints),
  );
  socket.on('breakpointHit', (raw) =>
    deliver('breakpointHit', readMessage(schemas.breakpointHit, raw), (hit) => {
      applyArrived(); // the batch holding the hit's event came first: the view stops with it shown
      const live = store();
      if (useDebugStore.getState().receiveHit(hit, live.frozen !== null)) live.pauseAt(hit.seq);
    }),
  );
  // `hello` also comes in the subscribe ack, which is what a (re)subscription acts on.
  socket.on('hello', (raw) =>
    deliver('hello', readMessage(schemas.hello, raw), (hello) => {
      applyArrived();
      store().serverHello(hello, Date.now());
    }),
  );
}

/** Connection state for the status bar; resubscribes (and re-watches) on every connect. */
function followConnection(socket: LiveSocket, isStopped: () => boolean) {
  let everConnected = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  socket.on('connect', () => {
    everConnected = true;
    store().setConnection({ status: 'connected', since: Date.now() });
    mapVersion = undefined; // the subscription sends the map whole
    subscribe(socket);
    if (watchedFlowId) socket.emit('watchFlow', { flowId: watchedFlowId });
  });

  socket.on('connect_error', (err) => {
    const { reason, problem } = describeConnectError(err);
    // `active` is false when the server refused us (middleware error): retrying cannot help.
    const status = socket.active ? (everConnected ? 'reconnecting' : 'connecting') : 'disconnected';
    store().setConnection({ status, reason, problem, since: Date.now() });
  });

  socket.on('disconnect', (reason) => {
    if (isStopped()) return;
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

  return () => clearTimeout(retryTimer);
}

/** Connects to `/live` and keeps the live store fed; returns a function that disconnects. */
export function startLive(): () => void {
  const socket: LiveSocket = io(LIVE_NAMESPACE, { withCredentials: true });
  current = socket;
  let stopped = false;
  const stopRetrying = followConnection(socket, () => stopped);
  listenToMessages(socket);

  return () => {
    stopped = true;
    if (current === socket) current = null;
    stopRetrying();
    socket.removeAllListeners();
    socket.disconnect();
    applyArrived();
  };
}
