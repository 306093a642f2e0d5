// `pnpm demo:brokers` (node scripts/run.mjs demo-brokers, which installs and builds first): the
// demo shop's services publishing to real brokers, and Flowscope tapping them.
//
//   Kafka      its own single-node broker from scripts/kafka.mjs (orders, inventory)
//   RabbitMQ   the machine's, FLOWSCOPE_RABBITMQ_URL or amqp://guest:guest@127.0.0.1:5672 (payments)
//   Redis      the machine's, FLOWSCOPE_REDIS_URL or redis://127.0.0.1:6379 (shipments, notifications, analytics)
//   NATS       the machine's, JetStream on, FLOWSCOPE_NATS_URL or nats://127.0.0.1:4222 (inventory)
//   MQTT       the machine's, FLOWSCOPE_MQTT_URL or mqtt://127.0.0.1:1883 (warehouse scanners' acknowledgements)
//
// Options: --prefix <p> (default "shop.": topic, exchange, queue and stream names), --demo-rate <n>
// (orders per second, default 1); any other option goes to Flowscope (--port 7421, …).
// Ctrl-C stops Flowscope, then the shop (deleting its exchanges, queues and streams), then Kafka.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEE = 'README.md, "See it on real brokers"';

const step = (title) => process.stderr.write(`\n▶ ${title}\n`);
const note = (text) => process.stderr.write(`  ${text}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Where the shop and Flowscope find RabbitMQ, Redis, NATS and MQTT: Flowscope's own variables, or this machine. */
function brokerUrls(env = process.env) {
  return {
    rabbitmq: env.FLOWSCOPE_RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
    redis: env.FLOWSCOPE_REDIS_URL || 'redis://127.0.0.1:6379',
    nats: env.FLOWSCOPE_NATS_URL || 'nats://127.0.0.1:4222',
    mqtt: env.FLOWSCOPE_MQTT_URL || 'mqtt://127.0.0.1:1883',
  };
}

/** `host:port` of a broker URL, with the protocol's default port. */
function addressOf(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) };
}

function canConnect({ host, port }, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (error) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer in ${timeoutMs / 1000} s`));
    socket.once('connect', () => done(null));
    socket.once('error', (err) => done(err.code ?? err.message));
  });
}

/**
 * What is wrong with NATS, if anything: it must answer and have JetStream, which its first protocol
 * line says (`INFO {"jetstream":true,…}`) without a client library (none is installed yet here).
 */
function natsProblem(natsUrl, timeoutMs = 2000) {
  const first = natsUrl.split(',')[0].trim();
  const { host, port } = addressOf(first.includes('://') ? first : `nats://${first}`, 4222);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let info = '';
    const done = (problem) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () =>
      done(`NATS does not answer at ${host}:${port} (no answer in ${timeoutMs / 1000} s).`),
    );
    socket.once('error', (err) => done(`NATS does not answer at ${host}:${port} (${err.code ?? err.message}).`));
    socket.on('data', (d) => {
      info += d;
      const line = /^INFO (.*)\r?\n/.exec(info); // nats-server 2.9 ends it with `} \r\n`
      if (!line) return;
      const jetstream = (() => {
        try {
          return JSON.parse(line[1]).jetstream === true;
        } catch {
          return false;
        }
      })();
      done(jetstream ? null : `NATS at ${host}:${port} runs without JetStream; start it with -js (nats-server -js).`);
    });
  });
}

/** The management API Flowscope discovers RabbitMQ through (mirror mode): http://host:15672 with the AMQP login. */
function managementOf(amqpUrl) {
  const u = new URL(amqpUrl);
  const user = decodeURIComponent(u.username || 'guest');
  const password = decodeURIComponent(u.password || 'guest');
  const vhost = decodeURIComponent(u.pathname.slice(1)) || '/';
  return {
    url: `http://${u.hostname}:15672`,
    auth: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    vhost,
  };
}

/**
 * Fails fast, before any build or broker start, on bad options, or when RabbitMQ (and its
 * management API), Redis, NATS (with JetStream), MQTT, Java or Maven are missing, saying how to
 * get them.
 */
export async function checkDemoBrokers(args, env = process.env) {
  parseArgs(args);
  const urls = brokerUrls(env);
  const problems = [];
  const rabbit = addressOf(urls.rabbitmq, urls.rabbitmq.startsWith('amqps:') ? 5671 : 5672);
  const rabbitError = await canConnect(rabbit);
  if (rabbitError) problems.push(`RabbitMQ does not answer at ${rabbit.host}:${rabbit.port} (${rabbitError}).`);
  else {
    const mgmt = managementOf(urls.rabbitmq);
    const res = await fetch(`${mgmt.url}/api/overview`, {
      headers: { authorization: mgmt.auth },
      signal: AbortSignal.timeout(3000),
    }).catch((err) => ({ status: err.cause?.code ?? err.name }));
    if (res.status !== 200)
      problems.push(
        `RabbitMQ's management API does not answer at ${mgmt.url} (${res.status}); Flowscope discovers exchanges and bindings through it: rabbitmq-plugins enable rabbitmq_management`,
      );
  }
  const redis = addressOf(urls.redis, 6379);
  const redisError = await canConnect(redis);
  if (redisError) problems.push(`Redis does not answer at ${redis.host}:${redis.port} (${redisError}).`);
  const natsError = await natsProblem(urls.nats);
  if (natsError) problems.push(natsError);
  const mqtt = addressOf(urls.mqtt, urls.mqtt.startsWith('mqtts:') ? 8883 : 1883);
  const mqttError = await canConnect(mqtt);
  if (mqttError) problems.push(`MQTT (Mosquitto) does not answer at ${mqtt.host}:${mqtt.port} (${mqttError}).`);
  if (spawnSync('java', ['-version']).status !== 0 || spawnSync('mvn', ['-v']).status !== 0)
    problems.push('Kafka (started by scripts/kafka.mjs) needs Java 17+ and Maven (mvn) on PATH.');
  if (problems.length === 0) return;
  throw new Error(
    [
      'pnpm demo:brokers cannot start:',
      ...problems.map((p) => `  - ${p}`),
      'It publishes to RabbitMQ, Redis, NATS and MQTT on this machine and starts its own Kafka. On Debian/Ubuntu:',
      '  sudo apt-get install -y rabbitmq-server redis-server nats-server mosquitto openjdk-17-jre-headless maven',
      '  sudo rabbitmq-plugins enable rabbitmq_management',
      '  nats-server -js      (NATS with JetStream, if the nats-server service runs without it)',
      `Servers elsewhere: set FLOWSCOPE_RABBITMQ_URL, FLOWSCOPE_REDIS_URL, FLOWSCOPE_NATS_URL and FLOWSCOPE_MQTT_URL (${SEE}).`,
    ].join('\n'),
  );
}

/** Splits the demo's own options from Flowscope's. */
function parseArgs(args) {
  const out = { prefix: 'shop.', rate: 1, flowscope: [] };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i]];
    const value = () => inline ?? args[++i];
    if (flag === '--') continue; // `pnpm demo:brokers -- --port 7421`
    if (flag === '--prefix') out.prefix = value() ?? out.prefix;
    else if (flag === '--demo-rate') out.rate = Number(value());
    else out.flowscope.push(args[i]);
  }
  if (!(out.rate > 0 && out.rate <= 1000))
    throw new Error('--demo-rate takes orders per second, above 0 and at most 1000');
  if (!/^[\w.:-]*$/.test(out.prefix)) throw new Error('--prefix takes letters, digits and . : _ -');
  return out;
}

/**
 * `node scripts/kafka.mjs start` in a process group of its own, so that a Ctrl-C in the terminal
 * reaches Flowscope and this script but not Kafka, which must outlive Flowscope's stop (it
 * deletes its tap group there).
 */
function launchKafka() {
  const child = spawn(process.execPath, [join(root, 'scripts/kafka.mjs'), 'start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let up = false;
  const ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`Kafka did not start (scripts/kafka.mjs exited with ${code}).`)));
  });
  void ready.then(
    () => (up = true),
    () => undefined,
  );
  return {
    /** Resolves with the bootstrap address once the broker accepts clients. */
    ready,
    exited,
    /** kafka.mjs stops the broker and deletes its data on SIGTERM; before it is up, the whole group goes. */
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(up ? child.pid : -child.pid, 'SIGTERM');
      } catch {
        return;
      }
      await exited;
    },
  };
}

/** The built server on the five brokers; resolves its URL once printed (its output goes through). */
function startFlowscope(args) {
  const child = spawn(process.execPath, [join(root, 'server/dist/main.js'), ...args], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0))),
  );
  const url = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d;
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`Flowscope exited with ${code} before it was ready.`)));
  });
  return { child, exited, url, alive: () => child.exitCode === null && child.signalCode === null };
}

/** Waits until Flowscope's sources are connected and its tap queue is bound to the shop's exchanges. */
async function waitUntilTapping(openUrl, exchanges, rabbitmqUrl) {
  const url = new URL(openUrl);
  const token = url.searchParams.get('token');
  const deadline = Date.now() + 60_000;
  const get = (u, headers) =>
    fetch(u, { headers, signal: AbortSignal.timeout(3000) }).then(
      (r) => (r.ok ? r.json() : null),
      () => null,
    );
  for (;;) {
    const health = await get(`${url.origin}/api/health`, { authorization: `Bearer ${token}` });
    if (health?.sources?.length === 5 && health.sources.every((s) => s.state === 'connected')) break;
    if (Date.now() > deadline) return note('Not every source is connected yet; the shop starts anyway.');
    await sleep(500);
  }
  const mgmt = managementOf(rabbitmqUrl);
  const bound = async (exchange) => {
    const path = `${encodeURIComponent(mgmt.vhost)}/${encodeURIComponent(exchange)}/bindings/source`;
    const bindings = await get(`${mgmt.url}/api/exchanges/${path}`, { authorization: mgmt.auth });
    return (bindings ?? []).some((b) => b.destination.startsWith('amq.gen-'));
  };
  while (!(await Promise.all(exchanges.map(bound))).every(Boolean)) {
    if (Date.now() > deadline) return note("Flowscope's RabbitMQ tap is not bound yet; the shop starts anyway.");
    await sleep(500);
  }
}

/** Reports a failed publish once per broker every 10 s, so an outage does not flood the terminal. */
function publishErrors() {
  const last = new Map();
  return (broker, err) => {
    if (Date.now() - (last.get(broker) ?? 0) < 10_000) return;
    last.set(broker, Date.now());
    process.stderr.write(`! The shop could not publish to ${broker}: ${err.message}\n`);
  };
}

function flowscopeArgs(kafka, urls, names, extra, dataDir) {
  const { kafka: topics, rabbitmq: exchanges, nats: jetStreams, mqtt: filters, redis: streams } = names.channels;
  return [
    ...['--kafka', kafka, '--topics', topics.join(','), '--from', 'earliest', '--cluster', 'demo'],
    ...['--rabbitmq', urls.rabbitmq, '--exchanges', exchanges.join(','), '--rabbitmq-name', 'demo'],
    ...['--nats', urls.nats, '--nats-streams', jetStreams.join(','), '--nats-from', 'earliest', '--nats-name', 'demo'],
    ...['--mqtt', urls.mqtt, '--mqtt-topics', filters.join(','), '--mqtt-name', 'demo'],
    ...['--redis', urls.redis, '--streams', streams.join(','), '--redis-from', 'earliest', '--redis-name', 'demo'],
    ...(dataDir ? ['--data-dir', dataDir] : []),
    ...extra,
  ];
}

function banner(kafka, urls, names, rate, openUrl) {
  const where = (url) => new URL(url.split(',')[0].includes('://') ? url.split(',')[0] : `nats://${url}`).host;
  const { kafka: topics, rabbitmq: exchanges, nats: jetStreams, mqtt: filters, redis: streams } = names.channels;
  step(`The shop places ${rate} order${rate === 1 ? '' : 's'}/s; each one crosses five brokers:`);
  note(`Kafka ${kafka} (its own)  topics ${topics.join(', ')}`);
  note(
    `RabbitMQ ${where(urls.rabbitmq)}  exchanges ${exchanges.join(', ')}; queue ${names.queues.map((q) => q.name).join(', ')}`,
  );
  note(`NATS ${where(urls.nats)}  JetStream streams ${jetStreams.join(', ')}`);
  note(`MQTT ${where(urls.mqtt)}  topics ${filters.join(', ')} (warehouse scanners)`);
  note(`Redis ${where(urls.redis)}  streams ${streams.join(', ')}`);
  note(`Open ${openUrl}`);
  note(
    'The map shows every channel with its broker; Trace follows one order across all five. Ctrl-C stops everything.',
  );
}

/** Runs the demo until Ctrl-C or until Flowscope or Kafka ends; exits the process. */
export async function runDemoBrokers(args) {
  const opts = parseArgs(args);
  const urls = brokerUrls();
  const state = { kafka: undefined, shop: undefined, flowscope: undefined, dataDir: undefined };
  let stopping;
  const stop = (code) =>
    (stopping ??= (async () => {
      if (state.flowscope?.alive()) state.flowscope.child.kill('SIGINT'); // after a Ctrl-C: a repeat at once is the same request
      if (state.flowscope) code ||= await state.flowscope.exited;
      if (state.shop) {
        step("Deleting the shop's RabbitMQ exchanges and queue, its JetStream streams and its Redis streams");
        try {
          await state.shop.stop();
        } catch (err) {
          code ||= 1;
          note(`Could not delete everything: ${err.message}`);
        }
      }
      if (state.kafka) {
        step('Stopping Kafka (its data goes with it)');
        await state.kafka.stop();
      }
      if (state.dataDir) {
        rmSync(state.dataDir, { recursive: true, force: true });
        note("(Its store was this run's own and is deleted; --data-dir <path> keeps one.)");
      }
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      if (!stopping) return void stop(0);
      note('Still stopping…');
      if (state.flowscope?.alive()) state.flowscope.child.kill(signal);
    });

  try {
    step('Starting Kafka (scripts/kafka.mjs; the first run fetches its jars from Maven Central)');
    state.kafka = launchKafka();
    const brokers = await state.kafka.ready;
    void state.kafka.exited.then((code) => {
      if (stopping) return;
      process.stderr.write(`\n✖ Kafka stopped unexpectedly (${code}).\n`);
      void stop(1);
    });
    const { openShopOnBrokers } = await import(pathToFileURL(join(root, 'server/dist/demoBrokers/index.js')).href);
    step('Declaring the shop on the brokers');
    state.shop = await openShopOnBrokers({
      kafka: brokers,
      ...urls,
      prefix: opts.prefix,
      ordersPerSecond: opts.rate,
      onError: publishErrors(),
    });
    step('Starting Flowscope on the five brokers');
    const ownData = !opts.flowscope.some((a) => a === '--data-dir' || a.startsWith('--data-dir='));
    // A fresh history: the Kafka is new each run, so its offsets (part of event ids) start again.
    if (ownData) state.dataDir = mkdtempSync(join(tmpdir(), 'flowscope-demo-brokers-'));
    state.flowscope = startFlowscope(flowscopeArgs(brokers, urls, state.shop.names, opts.flowscope, state.dataDir));
    void state.flowscope.exited.then((code) => void stop(code));
    const openUrl = await state.flowscope.url;
    await waitUntilTapping(openUrl, state.shop.names.channels.rabbitmq, urls.rabbitmq);
    state.shop.start();
    banner(brokers, urls, state.shop.names, opts.rate, openUrl);
  } catch (err) {
    if (!stopping) {
      process.stderr.write(`\n✖ ${err.message}\n`);
      await stop(1);
    }
  }
}
