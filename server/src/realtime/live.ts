import {
  LIVE_BATCH_MS,
  LIVE_NAMESPACE,
  compileFilter,
  createFilterInput,
  type FilterInput,
  subscribeRequestSchema,
  type LiveEventBatch,
  watchFlowRequestSchema,
  type ClientToServerEvents,
  type FlowEvent,
  type LiveHello,
  type ServerToClientEvents,
} from '@flowscope/shared';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Ingest } from '../ingest/ingest.js';
import type { Queries } from '../ingest/queries.js';
import type { SourceRegistry } from '../sourceRegistry.js';
import { hostAllowed, originAllowed, presentedToken, tokenMatches, type SecurityOptions } from '../http/security.js';

const ROOM = 'live';
const REPLAY_CHUNK = 500;

export type LiveOptions = {
  readonly ingest: Ingest;
  readonly queries: Queries;
  readonly sources: SourceRegistry;
  readonly security: SecurityOptions;
  readonly version: string;
  readonly log: Logger;
  /** Most events per second sent to one client; the rest are counted as skipped. */
  readonly clientRateLimit?: number;
};

/** A subscribed client: what it wants and what it missed since its last batch. */
type Subscriber = {
  readonly socket: { id: string; conn: unknown; emit: (ev: 'events', batch: LiveEventBatch) => boolean };
  readonly filter?: (event: FlowEvent) => boolean;
  skipped: number;
  /** Token bucket for the per-client rate limit. */
  allowance: number;
};

/** One lazily decoded view per event, shared by every subscriber's filter: the payload is parsed once. */
const filterInputs = new WeakMap<FlowEvent, FilterInput>();
function filterInputOf(event: FlowEvent): FilterInput {
  let input = filterInputs.get(event);
  if (!input) filterInputs.set(event, (input = createFilterInput(event)));
  return input;
}

/** The socket's outgoing queue is backing up: the client (or its network) is not keeping up. */
function congested(conn: unknown): boolean {
  const c = conn as { writeBuffer?: unknown[]; transport?: { socket?: { bufferedAmount?: number } } };
  return (c.writeBuffer?.length ?? 0) > 8 || (c.transport?.socket?.bufferedAmount ?? 0) > 1024 * 1024;
}

/**
 * The live stream over socket.io: events in batches every LIVE_BATCH_MS, the map every second,
 * source status on change. A client subscribes with the last seq it has and gets what it missed
 * from the buffer, with a `skipped` count for anything no longer buffered.
 */
export function attachLive(httpServer: HttpServer, o: LiveOptions) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    allowRequest: (req, done) => {
      const ok = hostAllowed(req.headers.host, o.security) && originAllowed(req.headers.origin, o.security);
      done(ok ? null : 'origin or host not allowed', ok);
    },
  });
  const live = io.of(LIVE_NAMESPACE);

  live.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const token = typeof auth.token === 'string' ? auth.token : presentedToken(socket.request.headers);
    if (tokenMatches(token, o.security)) next();
    else next(new Error('unauthorized: open the URL the server printed (it carries the access token)'));
  });

  let flushedSeq = o.queries.latestSeq;
  let pending: FlowEvent[] = [];
  const touchedFlows = new Set<string>();
  const offEvent = o.ingest.onEvent((e, flowId) => {
    pending.push(e);
    touchedFlows.add(flowId);
  });
  /** socket id → the flow id it watches. */
  const watchers = new Map<string, string>();
  const subscribers = new Map<string, Subscriber>();
  const rateLimit = o.clientRateLimit ?? 5000;
  const perTick = Math.max(1, Math.round((rateLimit * LIVE_BATCH_MS) / 1000));
  let skippedTotal = 0;

  const hello = (): LiveHello => ({ serverTime: Date.now(), lastSeq: flushedSeq, version: o.version });

  live.on('connection', (socket) => {
    socket.emit('sources', o.sources.list());
    socket.on('subscribe', (request, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = subscribeRequestSchema.safeParse(request);
      if (!parsed.success) {
        ack({ ok: false, error: `invalid subscribe request: ${parsed.error.issues[0]?.message ?? 'bad input'}` });
        return;
      }
      let filter: ((e: FlowEvent) => boolean) | undefined;
      if (parsed.data.filter?.trim()) {
        const compiled = compileFilter(parsed.data.filter);
        if (!compiled.ok) {
          ack({ ok: false, error: `invalid filter: ${compiled.error.message}` });
          return;
        }
        filter = (e) => compiled.filter.test(filterInputOf(e));
      }
      const afterSeq = parsed.data.afterSeq ?? flushedSeq;
      // Replay only what was already flushed; what is pending arrives with the next batch.
      const replay = o.queries.after(afterSeq, flushedSeq - afterSeq);
      const events = filter ? replay.events.filter(filter) : replay.events;
      if (replay.skipped > 0 && events.length === 0) socket.emit('events', { events: [], skipped: replay.skipped });
      for (let i = 0; i < events.length; i += REPLAY_CHUNK) {
        socket.emit('events', { events: events.slice(i, i + REPLAY_CHUNK), skipped: i === 0 ? replay.skipped : 0 });
      }
      subscribers.set(socket.id, { socket, ...(filter ? { filter } : {}), skipped: 0, allowance: perTick });
      void socket.join(ROOM);
      ack({ ok: true, hello: hello() });
      socket.emit('topology', o.queries.topology(o.sources.consumers()));
    });
    socket.on('watchFlow', (request) => {
      const parsed = watchFlowRequestSchema.safeParse(request);
      if (parsed.success) watchers.set(socket.id, parsed.data.flowId);
    });
    socket.on('unwatchFlow', () => watchers.delete(socket.id));
    socket.on('disconnect', () => {
      watchers.delete(socket.id);
      subscribers.delete(socket.id);
    });
  });

  const batchTimer = setInterval(() => {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    flushedSeq = events[events.length - 1]?.seq ?? flushedSeq;
    for (const sub of subscribers.values()) deliver(sub, events);
    for (const [socketId, watchedId] of watchers) {
      const flowId = o.queries.flowIdOf(watchedId);
      if (flowId && touchedFlows.has(flowId)) live.to(socketId).emit('flowChanged', { watchedId, flowId });
    }
    touchedFlows.clear();
  }, LIVE_BATCH_MS);

  /**
   * One batch to one client. A client that does not keep up (its socket is backing up) or that
   * is over its rate gets no unbounded queue: the events it misses are counted and announced as
   * `skipped` with its next batch, so the hole is visible, never silent.
   */
  function deliver(sub: Subscriber, events: readonly FlowEvent[]) {
    sub.allowance = Math.min(perTick * 10, sub.allowance + perTick);
    const matching = sub.filter ? events.filter(sub.filter) : events;
    if (congested(sub.socket.conn)) {
      sub.skipped += matching.length;
      skippedTotal += matching.length;
      return;
    }
    let batch = matching;
    const allowed = Math.floor(sub.allowance);
    if (batch.length > allowed) {
      const dropped = batch.length - allowed;
      sub.skipped += dropped;
      skippedTotal += dropped;
      batch = batch.slice(dropped); // keep the newest: it is a live view
    }
    if (batch.length === 0 && sub.skipped === 0) return;
    sub.allowance -= batch.length;
    sub.socket.emit('events', { events: batch, skipped: sub.skipped });
    sub.skipped = 0;
  }

  const topologyTimer = setInterval(() => {
    if ((live.adapter.rooms.get(ROOM)?.size ?? 0) > 0)
      live.to(ROOM).emit('topology', o.queries.topology(o.sources.consumers()));
  }, 1000);

  const offSources = o.sources.onChange((statuses) => live.emit('sources', statuses));
  const sourcesTimer = setInterval(() => live.emit('sources', o.sources.list()), 2000);

  return {
    io,
    stats: () => ({ clients: subscribers.size, skippedTotal }),
    close() {
      clearInterval(batchTimer);
      clearInterval(topologyTimer);
      clearInterval(sourcesTimer);
      offEvent();
      offSources();
      // The HTTP server belongs to fastify, which closes it; here only the sockets go.
      live.disconnectSockets(true);
      io.engine.close();
    },
  };
}
