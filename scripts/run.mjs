#!/usr/bin/env node
// The two commands of the README, for a fresh machine with only Node 20+:
//   npm start  → install, build, start Flowscope on the demo shop
//   npm test   → install everything the tests need (deps, Chromium, Kafka jars), then run them all
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '12.21.0';
/** The older Kafka line the integration suite also runs against. */
const COMPAT_KAFKA = '3.9.1';
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

function sh(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) fail(`${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** pnpm with these arguments; a trailing object adds environment variables. */
function pnpm(...args) {
  const env = typeof args.at(-1) === 'object' ? args.pop() : {};
  const [cmd, ...pre] = pnpmCommand();
  sh(cmd, [...pre, ...args], { npm_config_nodedir: process.env.npm_config_nodedir ?? nodeDir(), ...env });
}

/** better-sqlite3 and other native modules build against the installed Node headers. */
function nodeDir() {
  return existsSync('/usr/include/node/node.h') ? '/usr' : '';
}

function install() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step('Installing dependencies (first run only, about a minute)');
  pnpm('install', '--frozen-lockfile');
}

function build() {
  step('Building the server and the web app');
  pnpm('run', 'build');
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

if (command === 'start') {
  install();
  build();
  step('Starting Flowscope on the demo shop (Ctrl-C stops it)');
  const child = spawn(process.execPath, [join(root, 'server/dist/main.js'), ...rest], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
} else if (command === 'test') {
  const started = Date.now();
  install();
  ensureChromium();
  ensureJava();
  step('Fetching Apache Kafka 4.x and 3.9 from Maven Central (cached after the first run)');
  execFileSync(process.execPath, [join(root, 'scripts/kafka.mjs'), 'fetch'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts/kafka.mjs'), 'fetch', '--version', COMPAT_KAFKA], {
    cwd: root,
    stdio: 'inherit',
  });
  step('Format, lint and typecheck');
  pnpm('run', 'format:check');
  pnpm('run', 'lint');
  pnpm('run', 'typecheck');
  build();
  step('Unit and integration tests (vitest; integration against a real Kafka broker)');
  pnpm('exec', 'vitest', 'run');
  step(`Kafka compatibility: the Kafka integration tests again, against Kafka ${COMPAT_KAFKA}`);
  pnpm('exec', 'vitest', 'run', '--project', 'integration', 'test/kafka', 'test/sourceContract', {
    FLOWSCOPE_KAFKA_VERSION: COMPAT_KAFKA,
  });
  step('Browser tests (Playwright, Chromium)');
  pnpm('run', 'test:e2e');
  process.stderr.write(`\n✔ All tests passed in ${Math.round((Date.now() - started) / 1000)} s\n`);
} else {
  fail('usage: node scripts/run.mjs start|test [flowscope options]');
}
