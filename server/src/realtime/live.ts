import {
  LIVE_BATCH_MS,
  LIVE_NAMESPACE,
  compileFilter,
  type CompiledFilter,
  createFilterInput,
  type FilterInput,
  subscribeRequestSchema,
  type LiveEventBatch,
  watchFlowRequestSchema,
  type ClientToServerEvents,
  type FlowEvent,
  type BreakpointHit,
  type LiveHello,
  type SubscribeAck,
  type ServerToClientEvents,
  boundTopology,
} from '@flowscope/shared';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { Breakpoints } from '../debug/breakpoints.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Queries } from '../ingest/queries.js';
import type { SourceRegistry } from '../sourceRegistry.js';
import { TopologyFeed } from './topologyFeed.js';
import { wrongTokenError } from '../authLimiter.js';
import { hostAllowed, originAllowed, presentedToken, tokenMatches, type SecurityOptions } from '../security.js';

const ROOM = 'live';
const REPLAY_CHUNK = 500;
/** Breakpoint hits sent per batch (every LIVE_BATCH_MS) at most. */
const HITS_PER_FLUSH = 16;

export type LiveOptions = {
  readonly ingest: Ingest;
  readonly queries: Queries;
  readonly sources: SourceRegistry;
  readonly security: SecurityOptions;
  readonly version: string;
  readonly log: Logger;
  /** Breakpoints: their list is pushed on change, and each hit after the batch holding its event. */
  readonly breakpoints?: Breakpoints;
  /** Most events per second sent to one client (default 20,000); the rest are counted as skipped. */
  readonly clientRateLimit?: number;
};

/**
 * A subscription's filter's work per batch (about 60 ms): the events past it are not tested,
 * and counted as skipped (untested), so one costly filter never holds the server.
 */
const FILTER_STEPS_PER_BATCH = 1_000_000;

/** The events the filter matches, testing them until its work for this batch is spent. */
function withinWork(
  events: readonly FlowEvent[],
  filter: (e: FlowEvent) => boolean,
  compiled: CompiledFilter | undefined,
): { matching: FlowEvent[]; untested: number } {
  const start = compiled?.spent ?? 0;
  const matching: FlowEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    if (compiled && compiled.spent - start > FILTER_STEPS_PER_BATCH) return { matching, untested: events.length - i };
    const e = events[i] as FlowEvent;
    if (filter(e)) matching.push(e);
  }
  return { matching, untested: 0 };
}

/** A subscribed client: what it wants and what it missed since its last batch. */
type Subscriber = {
  readonly socket: { id: string; conn: unknown; emit: (ev: 'events', batch: LiveEventBatch) => boolean };
  readonly filter?: (event: FlowEvent) => boolean;
  /** The filter compiled, for the work it has spent. */
  readonly compiled?: CompiledFilter;
  skipped: number;
  /** Of `skipped`, events the filter had no work left to test. */
  untested: number;
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

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * The live stream over socket.io: events in batches every LIVE_BATCH_MS, the map's changes every second,
 * source status on change. A client subscribes with the last seq it has and gets what it missed
 * from the buffer, with a `skipped` count for anything no longer buffered.
 */
export function attachLive(httpServer: HttpServer, o: LiveOptions) {
  const stream = new LiveStream(httpServer, o);
  return { io: stream.io, stats: () => stream.stats(), close: () => stream.close() };
}

class LiveStream {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private readonly live;
  private flushedSeq: number;
  private pending: FlowEvent[] = [];
  /** Breakpoint hits waiting for the batch that holds their event to be sent. */
  private hits: BreakpointHit[] = [];
  /** Hit counts changed since the list was last pushed. */
  private breakpointsChanged = false;
  private readonly touchedFlows = new Set<string>();
  /** socket id → the flow id it watches. */
  private readonly watchers = new Map<string, string>();
  private readonly subscribers = new Map<string, Subscriber>();
  /** How many subscribers have a filter: only then is an event's parsed payload kept for them. */
  private filtered = 0;
  private readonly perTick: number;
  private skippedTotal = 0;
  private readonly timers: NodeJS.Timeout[];
  private readonly unsubscribe: (() => void)[];
  /** The map, bounded (boundTopology), whole to a new subscriber and as deltas every second. */
  private readonly map: TopologyFeed;

  constructor(
    httpServer: HttpServer,
    private readonly o: LiveOptions,
  ) {
    this.io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
      serveClient: false,
      maxHttpBufferSize: 16 * 1024,
      // A connection that joins no namespace (or was refused one) is closed after this.
      connectTimeout: 10_000,
      allowRequest: (req, done) => {
        const ok = hostAllowed(req.headers.host, o.security) && originAllowed(req.headers.origin, o.security);
        done(ok ? null : 'origin or host not allowed', ok);
      },
    });
    // Only the live namespace serves anything: the default one refuses every socket, token or not.
    this.io.use((_socket, next) => next(new Error(`Flowscope serves only the ${LIVE_NAMESPACE} namespace`)));
    this.live = this.io.of(LIVE_NAMESPACE);
    this.live.use((socket, next) => {
      const auth = socket.handshake.auth as { token?: unknown };
      const token = typeof auth.token === 'string' ? auth.token : presentedToken(socket.request.headers);
      if (tokenMatches(token, o.security)) next();
      else next(wrongTokenError(o.security.wrongTokens, socket.handshake.address));
    });
    this.flushedSeq = o.queries.latestSeq;
    this.map = new TopologyFeed(() => boundTopology(o.queries.topology(o.sources.consumers(), o.sources.links())));
    this.perTick = Math.max(1, Math.round(((o.clientRateLimit ?? 20_000) * LIVE_BATCH_MS) / 1000));
    this.live.on('connection', (socket) => this.connected(socket));
    this.unsubscribe = [
      o.ingest.onEvent((e, flowId, json) => {
        this.pending.push(e);
        // Ingest parsed the payload once already: filters reuse that value instead of parsing again.
        if (json !== undefined && this.filtered > 0) filterInputs.set(e, createFilterInput(e, json));
        this.touchedFlows.add(flowId);
      }),
      o.sources.onChange((statuses) => this.live.emit('sources', statuses)),
      ...(o.breakpoints
        ? [
            o.breakpoints.onHit((hit) => {
              this.hits.push(hit);
              this.breakpointsChanged = true;
            }),
            o.breakpoints.onChange(() => this.pushBreakpoints()),
          ]
        : []),
    ];
    this.timers = [
      setInterval(() => this.flush(), LIVE_BATCH_MS),
      setInterval(() => {
        if ((this.live.adapter.rooms.get(ROOM)?.size ?? 0) > 0) {
          const delta = this.map.next();
          if (delta) this.live.to(ROOM).emit('topologyDelta', delta);
        }
        if (this.breakpointsChanged) this.pushBreakpoints();
      }, 1000),
      setInterval(() => this.live.emit('sources', o.sources.list()), 2000),
    ];
  }

  stats() {
    return { clients: this.subscribers.size, skippedTotal: this.skippedTotal };
  }

  /** Counts the subscribers with a filter again (after one came or went). */
  private recount(): void {
    this.filtered = 0;
    for (const sub of this.subscribers.values()) if (sub.filter) this.filtered += 1;
  }

  close() {
    for (const t of this.timers) clearInterval(t);
    for (const off of this.unsubscribe) off();
    // The HTTP server belongs to fastify, which closes it; here only the sockets go.
    this.live.disconnectSockets(true);
    this.io.engine.close();
  }

  private pushBreakpoints() {
    this.breakpointsChanged = false;
    if (this.o.breakpoints) this.live.to(ROOM).emit('breakpoints', this.o.breakpoints.list());
  }

  private hello(): LiveHello {
    return { serverTime: Date.now(), lastSeq: this.flushedSeq, version: this.o.version };
  }

  private connected(socket: LiveSocket) {
    socket.emit('sources', this.o.sources.list());
    socket.on('subscribe', (request, ack) => {
      if (typeof ack === 'function') this.subscribe(socket, request, ack);
    });
    socket.on('watchFlow', (request) => {
      const parsed = watchFlowRequestSchema.safeParse(request);
      if (parsed.success) this.watchers.set(socket.id, parsed.data.flowId);
    });
    socket.on('unwatchFlow', () => this.watchers.delete(socket.id));
    // A client whose map is not the version a delta builds on asks for the whole map again.
    socket.on('resyncTopology', () => {
      if (this.subscribers.has(socket.id)) socket.emit('topology', this.map.current());
    });
    socket.on('disconnect', () => {
      this.watchers.delete(socket.id);
      this.subscribers.delete(socket.id);
      this.recount();
    });
  }

  private subscribe(socket: LiveSocket, request: unknown, ack: (ack: SubscribeAck) => void) {
    const parsed = subscribeRequestSchema.safeParse(request);
    if (!parsed.success) {
      ack({ ok: false, error: `invalid subscribe request: ${parsed.error.issues[0]?.message ?? 'bad input'}` });
      return;
    }
    let filter: ((e: FlowEvent) => boolean) | undefined;
    let compiled: CompiledFilter | undefined;
    if (parsed.data.filter?.trim()) {
      const result = compileFilter(parsed.data.filter);
      if (!result.ok) {
        ack({ ok: false, error: `invalid filter: ${result.error.message}` });
        return;
      }
      const f = (compiled = result.filter);
      filter = (e) => f.test(filterInputOf(e));
    }
    const afterSeq = parsed.data.afterSeq ?? this.flushedSeq;
    // Replay only what was already flushed; what is pending arrives with the next batch.
    const replay = this.o.queries.after(afterSeq, this.flushedSeq - afterSeq);
    const tested = filter ? withinWork(replay.events, filter, compiled) : { matching: replay.events, untested: 0 };
    const events = tested.matching;
    const skipped = replay.skipped + tested.untested;
    const untested = tested.untested > 0 ? { untested: tested.untested } : {};
    if (skipped > 0 && events.length === 0) socket.emit('events', { events: [], skipped, ...untested });
    for (let i = 0; i < events.length; i += REPLAY_CHUNK) {
      const first = i === 0 ? { skipped, ...untested } : { skipped: 0 };
      socket.emit('events', { events: events.slice(i, i + REPLAY_CHUNK), ...first });
    }
    this.subscribers.set(socket.id, {
      socket,
      ...(filter ? { filter } : {}),
      ...(compiled ? { compiled } : {}),
      skipped: 0,
      untested: 0,
      allowance: this.perTick,
    });
    this.recount();
    void socket.join(ROOM);
    ack({ ok: true, hello: this.hello() });
    socket.emit('topology', this.map.current());
    if (this.o.breakpoints) socket.emit('breakpoints', this.o.breakpoints.list());
  }

  private flush() {
    if (this.pending.length > 0) this.flushEvents();
    // After the batch that holds their event: a view that pauses at a hit already has the event.
    if (this.hits.length > 0) {
      const ready = this.hits.filter((h) => h.seq <= this.flushedSeq);
      this.hits = this.hits.filter((h) => h.seq > this.flushedSeq);
      // A view stops at the first hit and steps through the later ones: an expression that matches
      // most events does not get a message per event (the counts in the list stay exact).
      for (const hit of ready.slice(0, HITS_PER_FLUSH)) this.live.to(ROOM).emit('breakpointHit', hit);
    }
  }

  private flushEvents() {
    const events = this.pending;
    this.pending = [];
    this.flushedSeq = events[events.length - 1]?.seq ?? this.flushedSeq;
    const whole: string[] = [];
    for (const sub of this.subscribers.values()) if (this.deliver(sub, events) === 'whole') whole.push(sub.socket.id);
    // Encoded once for every client that gets the whole batch: JSON per client was the server's
    // main cost with many clients, and slowed ingest itself (200 clients: 3,700 → about 650 events/s).
    if (whole.length > 0) this.live.to(whole).emit('events', { events, skipped: 0 });
    for (const [socketId, watchedId] of this.watchers) {
      const flowId = this.o.queries.flowIdOf(watchedId);
      if (flowId && this.touchedFlows.has(flowId)) this.live.to(socketId).emit('flowChanged', { watchedId, flowId });
    }
    this.touchedFlows.clear();
  }

  /**
   * One batch to one client. A client that does not keep up (its socket is backing up) or that
   * is over its rate gets no unbounded queue: the events it misses are counted and announced as
   * `skipped` with its next batch, so the hole is visible, never silent.
   */
  private deliver(sub: Subscriber, events: readonly FlowEvent[]): 'whole' | undefined {
    sub.allowance = Math.min(this.perTick * 10, sub.allowance + this.perTick);
    const tested = sub.filter ? withinWork(events, sub.filter, sub.compiled) : { matching: events, untested: 0 };
    const matching = tested.matching;
    sub.skipped += tested.untested;
    sub.untested += tested.untested;
    this.skippedTotal += tested.untested;
    if (congested(sub.socket.conn)) {
      sub.skipped += matching.length;
      this.skippedTotal += matching.length;
      return undefined;
    }
    let batch = matching;
    const allowed = Math.floor(sub.allowance);
    if (batch.length > allowed) {
      const dropped = batch.length - allowed;
      sub.skipped += dropped;
      this.skippedTotal += dropped;
      batch = batch.slice(dropped); // keep the newest: it is a live view
    }
    if (batch.length === 0 && sub.skipped === 0) return undefined;
    sub.allowance -= batch.length;
    if (batch === events && sub.skipped === 0) return 'whole'; // the caller sends it, encoded once for all
    sub.socket.emit('events', {
      events: batch,
      skipped: sub.skipped,
      ...(sub.untested > 0 ? { untested: sub.untested } : {}),
    });
    sub.skipped = 0;
    sub.untested = 0;
    return undefined;
  }
}
