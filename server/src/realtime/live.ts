import {
  LIVE_BATCH_MS,
  LIVE_NAMESPACE,
  subscribeRequestSchema,
  watchFlowRequestSchema,
  type ClientToServerEvents,
  type FlowEvent,
  type LiveHello,
  type ServerToClientEvents,
} from '@flowscope/shared';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Pipeline } from '../ingest/pipeline.js';
import type { SourceRegistry } from '../sources/registry.js';
import { hostAllowed, originAllowed, presentedToken, tokenMatches, type SecurityOptions } from '../http/security.js';

const ROOM = 'live';
const REPLAY_CHUNK = 500;

export type LiveOptions = {
  readonly pipeline: Pipeline;
  readonly sources: SourceRegistry;
  readonly security: SecurityOptions;
  readonly version: string;
  readonly log: Logger;
};

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

  let flushedSeq = o.pipeline.latestSeq;
  let pending: FlowEvent[] = [];
  const touchedFlows = new Set<string>();
  const offEvent = o.pipeline.onEvent((e, flowId) => {
    pending.push(e);
    touchedFlows.add(flowId);
  });
  /** socket id → the flow id it watches. */
  const watchers = new Map<string, string>();

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
      const afterSeq = parsed.data.afterSeq ?? flushedSeq;
      // Replay only what was already flushed to the room; what is pending arrives with the next batch.
      const { events, skipped } = o.pipeline.after(afterSeq, flushedSeq - afterSeq);
      if (skipped > 0 && events.length === 0) socket.emit('events', { events: [], skipped });
      for (let i = 0; i < events.length; i += REPLAY_CHUNK) {
        socket.emit('events', { events: events.slice(i, i + REPLAY_CHUNK), skipped: i === 0 ? skipped : 0 });
      }
      void socket.join(ROOM);
      ack({ ok: true, hello: hello() });
      socket.emit('topology', o.pipeline.topology());
    });
    socket.on('watchFlow', (request) => {
      const parsed = watchFlowRequestSchema.safeParse(request);
      if (parsed.success) watchers.set(socket.id, parsed.data.flowId);
    });
    socket.on('unwatchFlow', () => watchers.delete(socket.id));
    socket.on('disconnect', () => watchers.delete(socket.id));
  });

  const batchTimer = setInterval(() => {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    flushedSeq = events[events.length - 1]?.seq ?? flushedSeq;
    live.to(ROOM).emit('events', { events, skipped: 0 });
    for (const [socketId, watchedId] of watchers) {
      const flowId = o.pipeline.flowIdOf(watchedId);
      if (flowId && touchedFlows.has(flowId)) live.to(socketId).emit('flowChanged', { watchedId, flowId });
    }
    touchedFlows.clear();
  }, LIVE_BATCH_MS);

  // Templates learn and idle flows are evicted as time passes, off the per-event path.
  const correlationTimer = setInterval(() => o.pipeline.tick(), 1000);

  const topologyTimer = setInterval(() => {
    if ((live.adapter.rooms.get(ROOM)?.size ?? 0) > 0) live.to(ROOM).emit('topology', o.pipeline.topology());
  }, 1000);

  const offSources = o.sources.onChange((statuses) => live.emit('sources', statuses));
  const sourcesTimer = setInterval(() => live.emit('sources', o.sources.list()), 2000);

  return {
    io,
    close() {
      clearInterval(batchTimer);
      clearInterval(topologyTimer);
      clearInterval(sourcesTimer);
      clearInterval(correlationTimer);
      offEvent();
      offSources();
      // The HTTP server belongs to fastify, which closes it; here only the sockets go.
      live.disconnectSockets(true);
      io.engine.close();
    },
  };
}
