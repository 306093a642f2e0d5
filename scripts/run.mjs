#!/usr/bin/env node
// The commands of the README, for a fresh machine with only Node 20.19+ (22 and 24 alike):
//   npm start  → install, build when the sources changed, start Flowscope on the demo shop
//   pnpm demo:brokers → the same, then the demo shop on real Kafka, RabbitMQ, NATS, MQTT and Redis (demoBrokers.mjs)
//   npm test   → install everything the tests need (deps, Chromium, Kafka jars), then run them all,
//                and the unit and integration tests plus a demo start once more on Node 24
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDemoBrokers, runDemoBrokers } from './demoBrokers.mjs';
import {
  buildHeaders,
  fetchNode,
  installedSqlite,
  prefixOf,
  SQLITE_BINDING_ENV,
  sqliteBindingFor,
  sqliteProblem,
} from './native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache');
const PNPM_VERSION = '12.21.0';
/** The older Kafka line the integration suite also runs against. */
const COMPAT_KAFKA = '3.9.1';
/** The Node line CI also runs on, beside the machine's: what newcomers have (ADR 0010). */
const NEWCOMER_NODE = 24;
const [command, ...rest] = process.argv.slice(2);

function step(title) {
  process.stderr.write(`\n▶ ${title}\n`);
}

function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

/** pnpm from PATH when it is 12.x, otherwise the pinned version through npx (npm registry only). */
function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('12.')) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

/** The environment with these changes; an undefined value removes the variable. */
function withEnv(env) {
  const merged = { ...process.env, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return merged;
}

function sh(cmd, args, env = {}, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: withEnv(env), ...options });
  if (r.status !== 0) fail(`${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal ?? r.error?.message})`);
}

/** Node `version` from the npm registry (cached in .cache), for its headers or to run on. */
function nodeFromRegistry(version) {
  return fetchNode(cache, version, (cmd, args, opts) => sh(cmd, args, {}, opts));
}

/** Headers to build native modules against for `nodeBin`, with what replaced them (see native.mjs). */
function headersFor(nodeBin, abi, configured) {
  const headers = buildHeaders(
    nodeBin,
    abi,
    (version) => {
      if (!existsSync(join(cache, `node${version}`, 'package', 'include', 'node'))) {
        step(`Fetching the headers of Node ${version} from the npm registry (kept in .cache/node${version})`);
      }
      return nodeFromRegistry(version).prefix;
    },
    configured,
  );
  if (headers.replaced) {
    process.stderr.write(
      `  Native modules are built against Node ${headers.replaced}'s headers: those of this Node make better-sqlite3 abort at a garbage collection (nodejs/node#65446).\n`,
    );
  }
  return headers;
}

let ownHeaders;
/**
 * Native builds (better-sqlite3) for the Node that runs this script: its headers (or the safe
 * ones of its line, built from source then), and that same Node first on PATH for pnpm and the
 * install scripts it runs.
 */
function nativeEnv() {
  ownHeaders ??= headersFor(process.execPath, process.versions.modules);
  return {
    npm_config_nodedir: ownHeaders.dir,
    ...(ownHeaders.replaced ? { npm_config_build_from_source: 'true' } : {}),
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
  };
}

/** pnpm with these arguments; a trailing object adds environment variables. */
function pnpm(...args) {
  const env = typeof args.at(-1) === 'object' ? args.pop() : {};
  const [cmd, ...pre] = pnpmCommand();
  sh(cmd, [...pre, ...args], { ...nativeEnv(), ...env });
}

function install() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
    step('Installing dependencies (first run only, about a minute)');
    pnpm('install', '--frozen-lockfile');
  }
  ensureSqlite();
}

/**
 * better-sqlite3 loads in this Node, or is rebuilt for it: an install made with another Node
 * (switching with nvm, a Node upgrade) holds a module for another ABI, which cannot load.
 */
function ensureSqlite() {
  const problem = sqliteProblem(root, process.execPath);
  if (!problem) return;
  if (process.env[SQLITE_BINDING_ENV]) {
    fail(
      `${SQLITE_BINDING_ENV}=${process.env[SQLITE_BINDING_ENV]} does not load in Node ${process.version}:\n  ${problem}`,
    );
  }
  step(`Rebuilding better-sqlite3 for Node ${process.version}: the installed build cannot serve here\n  ${problem}`);
  if (!nativeEnv().npm_config_nodedir) {
    process.stderr.write(
      `  (no headers of this Node at ${prefixOf(process.execPath)}/include/node: node-gyp downloads them)\n`,
    );
  }
  pnpm('rebuild', 'better-sqlite3');
  const still = sqliteProblem(root, process.execPath);
  if (still) {
    fail(
      `better-sqlite3 ${installedSqlite(root).version} still does not load in Node ${process.version} after a rebuild:\n  ${still}\n  A C++ compiler, make and Python are needed when no prebuilt binary exists for this Node.`,
    );
  }
}

/** What the build reads: any change in these makes `npm start` build again. */
const BUILD_INPUTS = [
  'shared',
  'server/src',
  'web',
  'package.json',
  'pnpm-lock.yaml',
  'tsconfig.json',
  'tsconfig.base.json',
  'vite.config.ts',
];
const SKIP = new Set(['node_modules', 'dist', 'test-results', 'playwright-report']);
const buildStamp = join(cache, 'build-stamp');

/** The newest modification time of the files under `path` (build outputs and dependencies aside). */
function newestChange(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return path.endsWith('.tsbuildinfo') ? 0 : info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path))
    if (!SKIP.has(entry)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** The built app exists and no input changed since the build that made it started. */
function buildIsCurrent() {
  const outputs = [join(root, 'server/dist/main.js'), join(root, 'web/dist/index.html'), buildStamp];
  if (!outputs.every((p) => existsSync(p))) return false;
  const inputs = Math.max(...BUILD_INPUTS.map((p) => newestChange(join(root, p))));
  return statSync(buildStamp).mtimeMs >= inputs;
}

function build() {
  step('Building the server and the web app');
  const started = new Date();
  rmSync(buildStamp, { force: true });
  pnpm('run', 'build');
  mkdirSync(cache, { recursive: true });
  writeFileSync(buildStamp, `built with Node ${process.version}\n`);
  utimesSync(buildStamp, started, started); // an edit made during the build is newer: built again next time
}

/** Debian's Chromium for Playwright; installed with apt when we may, otherwise explained. */
function ensureChromium() {
  const path = process.env.FLOWSCOPE_CHROMIUM ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('apt-get', ['--version']).status === 0;
  if (isRoot && hasApt) {
    step('Installing Chromium for the browser tests (apt-get install chromium)');
    sh('apt-get', ['update', '-qq']);
    sh('apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
    return;
  }
  fail(
    `Browser tests need Chromium at ${path}.\n  Debian/Ubuntu: sudo apt-get install -y chromium\n  Elsewhere: set FLOWSCOPE_CHROMIUM to a Chromium or Chrome binary.`,
  );
}

function ensureJava() {
  if (spawnSync('java', ['-version']).status !== 0 || spawnSync('mvn', ['-v']).status !== 0) {
    fail(
      'Kafka tests need Java 17+ and Maven (mvn) on PATH.\n  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless maven',
    );
  }
}

/**
 * The RabbitMQ tests discover exchanges, bindings and queues through the management API (port
 * 15672), which a fresh RabbitMQ has off. Enabled here when we may (root, rabbitmq-plugins on
 * PATH); otherwise says how. Nothing is printed when it already answers.
 */
async function ensureRabbitManagement() {
  const answers = () =>
    fetch('http://127.0.0.1:15672/api/overview', { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200 || r.status === 401,
      () => false,
    );
  if (await answers()) return;
  const hasCli = spawnSync('sh', ['-c', 'command -v rabbitmq-plugins'], { stdio: 'ignore' }).status === 0;
  if (hasCli && process.getuid?.() === 0) {
    step('Enabling the RabbitMQ management plugin (rabbitmq-plugins enable rabbitmq_management)');
    sh('rabbitmq-plugins', ['enable', '--quiet', 'rabbitmq_management']);
    return;
  }
  process.stderr.write(
    '\n! The RabbitMQ management API (127.0.0.1:15672) does not answer; the RabbitMQ tests need it.\n  Enable it: sudo rabbitmq-plugins enable rabbitmq_management\n',
  );
}

/**
 * Runs the server and stays until it has exited, with its exit code. Ctrl-C in a terminal signals
 * this launcher and the server alike (one process group); forwarding covers a signal sent to the
 * launcher alone (kill, a process manager). The server takes a repeat that arrives at once as the
 * same request, and decides itself when a later one forces it to quit.
 */
function start(args) {
  install();
  if (buildIsCurrent()) process.stderr.write('\n▶ The build is up to date\n');
  else build();
  step('Starting Flowscope (Ctrl-C stops it)');
  const child = spawn(process.execPath, [join(root, 'server/dist/main.js'), ...args], { cwd: root, stdio: 'inherit' });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
  child.on('error', (err) => fail(`could not start the server: ${err.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

/**
 * The same checks on the Node a newcomer has (NEWCOMER_NODE from the npm registry): unit and
 * integration tests, and `npm start` of the demo. better-sqlite3 is built for it in .cache and
 * loaded through FLOWSCOPE_SQLITE_BINDING; the installed build stays the machine Node's.
 */
function testOnNewcomerNode() {
  if (process.versions.node.startsWith(`${NEWCOMER_NODE}.`)) return;
  let node;
  let sqlite;
  try {
    step(`Node ${NEWCOMER_NODE} from the npm registry (cached in .cache/node${NEWCOMER_NODE})`);
    node = nodeFromRegistry(NEWCOMER_NODE);
    process.stderr.write(`  ${node.version} at ${relative(root, node.bin)}\n`);
    const headers = headersFor(node.bin, node.abi, null);
    sqlite = sqliteBindingFor(root, node, headers.dir ?? node.prefix, (cmd, args, opts) =>
      sh(cmd, args, { npm_config_nodedir: undefined }, opts),
    );
    process.stderr.write(
      `  better-sqlite3 for ${node.version}: ${relative(root, sqlite.binding)}${sqlite.built ? ' (built now)' : ''}\n`,
    );
  } catch (err) {
    fail(err.message);
  }
  const env = { [SQLITE_BINDING_ENV]: sqlite.binding, PATH: `${dirname(node.bin)}${delimiter}${process.env.PATH}` };
  step(`Unit and integration tests on Node ${node.version} (all but the Kafka outage tests, run twice already)`);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const projects = ['shared', 'server', 'web', 'integration', 'brokers'].flatMap((p) => ['--project', p]);
  sh(node.bin, [vitest, 'run', ...projects, '--exclude', '**/test/kafkaTailing.test.ts'], env);
  step(`npm start on Node ${node.version}: the demo answers /api/health, stops with exit 0`);
  execFileSync(node.bin, [join(root, 'scripts', 'run.mjs'), 'smoke'], {
    cwd: root,
    stdio: 'inherit',
    env: withEnv(env),
  });
  step(`better-sqlite3 built for Node ${process.versions.node.split('.')[0]} is reported as such on ${node.version}`);
  execFileSync(node.bin, [join(root, 'scripts', 'run.mjs'), 'smoke-native'], {
    cwd: root,
    stdio: 'inherit',
    env: withEnv({ ...env, [SQLITE_BINDING_ENV]: undefined }),
  });
}

/** `npm start` on the running Node (launcher and server), until /api/health answers; then Ctrl-C. */
async function smoke() {
  const token = randomBytes(16).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-smoke-'));
  const child = spawn(
    process.execPath,
    [join(root, 'scripts', 'run.mjs'), 'start', '--port', '0', '--token', token, '--data-dir', dataDir],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: withEnv({ FLOWSCOPE_LOG_LEVEL: 'warn' }) },
  );
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    process.stdout.write(d);
  });
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed within 120 s:\n${out}`)), 120_000);
      child.stdout.on('data', () => {
        const m = /Open (http:\/\/\S+?)\/\?token=/.exec(out);
        if (!m) return;
        clearTimeout(timer);
        resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`the server exited (${code}) before printing its URL`)));
    });
    const res = await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${token}` } });
    const health = await res.json();
    if (res.status !== 200 || !Array.isArray(health.sources))
      throw new Error(`/api/health: ${res.status} ${JSON.stringify(health)}`);
    const denied = await fetch(`${url}/api/health`);
    if (denied.status !== 401) throw new Error(`/api/health without the token: ${denied.status}, expected 401`);
    process.stdout.write(
      `  /api/health on ${process.version}: ${health.sources.map((s) => `${s.id} ${s.state}`).join(', ')}\n`,
    );
    child.kill('SIGINT');
    const code = await exited;
    if (code !== 0) throw new Error(`exit ${code} after Ctrl-C, expected 0`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The server started with a better-sqlite3 of another Node says so, names this Node, tells how to rebuild. */
function smokeNative() {
  if (!sqliteProblem(root, process.execPath))
    fail(`the installed better-sqlite3 loads in ${process.version}: nothing to check`);
  const dataDir = mkdtempSync(join(tmpdir(), 'flowscope-native-'));
  const r = spawnSync(process.execPath, [join(root, 'server/dist/main.js'), '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  rmSync(dataDir, { recursive: true, force: true });
  const expected = ['better-sqlite3', process.version, 'npm start', 'rebuild'];
  const missing = expected.filter((text) => !r.stderr.includes(text));
  if (r.status !== 1 || missing.length > 0 || /data directory/.test(r.stderr)) {
    fail(`expected exit 1 naming ${expected.join(', ')} (not the data directory); got exit ${r.status}:\n${r.stderr}`);
  }
  process.stderr.write(`  ${r.stderr.trim().split('\n').join('\n  ')}\n`);
}

if (command === 'start') {
  start(rest);
} else if (command === 'demo-brokers') {
  await checkDemoBrokers(rest).catch((err) => fail(err.message));
  install();
  if (buildIsCurrent()) process.stderr.write('\n▶ The build is up to date\n');
  else build();
  await runDemoBrokers(rest);
} else if (command === `test-node${NEWCOMER_NODE}`) {
  install();
  if (!buildIsCurrent()) build();
  testOnNewcomerNode();
} else if (command === 'smoke') {
  await smoke().catch((err) => fail(err.message));
} else if (command === 'smoke-native') {
  smokeNative();
} else if (command === 'test') {
  const started = Date.now();
  install();
  ensureChromium();
  ensureJava();
  await ensureRabbitManagement();
  step('Fetching Apache Kafka 4.x and 3.9 from Maven Central (cached after the first run)');
  execFileSync(process.execPath, [join(root, 'scripts/kafka.mjs'), 'fetch'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts/kafka.mjs'), 'fetch', '--version', COMPAT_KAFKA], {
    cwd: root,
    stdio: 'inherit',
  });
  step('Fetching ElasticMQ (SQS, for the AWS tests) from Maven Central (cached after the first run)');
  execFileSync(process.execPath, [join(root, 'scripts/elasticmq.mjs'), 'fetch'], { cwd: root, stdio: 'inherit' });
  step('Format, lint and typecheck');
  pnpm('run', 'format:check');
  pnpm('run', 'lint');
  pnpm('run', 'typecheck');
  build();
  step(
    'Unit and integration tests (vitest; Kafka files beside the RabbitMQ, Redis, NATS and MQTT files, against real brokers)',
  );
  pnpm('exec', 'vitest', 'run');
  step(`Kafka compatibility: the Kafka integration tests again, against Kafka ${COMPAT_KAFKA}`);
  pnpm('exec', 'vitest', 'run', '--project', 'integration', 'test/kafka', 'test/sourceContract.test.ts', {
    FLOWSCOPE_KAFKA_VERSION: COMPAT_KAFKA,
  });
  step('Browser tests (Playwright, Chromium)');
  pnpm('run', 'test:e2e');
  const newcomerStarted = Date.now();
  testOnNewcomerNode();
  const newcomer = Math.round((Date.now() - newcomerStarted) / 1000);
  process.stderr.write(
    `\n✔ All tests passed in ${Math.round((Date.now() - started) / 1000)} s (Node ${NEWCOMER_NODE} part: ${newcomer} s)\n`,
  );
} else {
  fail(
    `usage: node scripts/run.mjs start [flowscope options] | demo-brokers [options] | test | test-node${NEWCOMER_NODE}`,
  );
}
