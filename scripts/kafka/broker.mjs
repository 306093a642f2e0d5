// A single-node KRaft broker (combined broker+controller) as a `java` child process.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jvmArgsFor, newClusterId, secureListener, serverProperties } from './brokerConfig.mjs';
import { ensureKafka, resolveVersion } from './jars.mjs';
import { canConnect, freePorts, isPortFree } from './ports.mjs';
import { javaBin, LOG_TAIL_LINES, readFrom, run, sleep, tail } from './support.mjs';

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const STATE_FILE = 'flowscope-kafka.json';
const KAFKA_DATA_SUBDIR = 'kafka-data';
const READY_RE = /Kafka Server started|started \(kafka\.server/;

function stateOf(dataDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** The PLAINTEXT, controller and (with SASL users) SASL_SSL ports: the ones last used when still free. */
async function choosePorts(port, prev, saslUsers) {
  port = Number(port || prev?.port || 0);
  if (port) {
    if (!(await isPortFree(port))) {
      throw new Error(`Port ${port} on 127.0.0.1 is already in use`);
    }
  }
  let controllerPort = prev?.controllerPort;
  if (!controllerPort || controllerPort === port || !(await isPortFree(controllerPort))) {
    controllerPort = undefined;
  }
  const fresh = await freePorts(4);
  const pool = fresh.filter((p) => p !== port && p !== controllerPort);
  if (!port) port = pool.shift();
  if (!controllerPort) controllerPort = pool.shift();
  let securePort = prev?.securePort;
  if (saslUsers && (!securePort || !(await isPortFree(securePort)))) securePort = pool.shift();
  return { port, controllerPort, securePort };
}

/** Formats the storage of a new data dir (SCRAM credentials live in the cluster metadata). */
async function formatStorage({ jvmArgs, clusterId, propsFile, logFile, saslUsers }) {
  const res = await run(javaBin(), [
    ...jvmArgs.filter((a) => !a.startsWith('-Xms')),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    propsFile,
    // SCRAM credentials live in the cluster metadata: added when the storage is formatted.
    ...(saslUsers ?? []).flatMap((u) =>
      ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => [
        '--add-scram',
        `${m}=[name=${u.name},password=${u.password}]`,
      ]),
    ),
  ]);
  await fsp.appendFile(logFile, `--- StorageTool format (exit ${res.code}) ---\n${res.output}`);
  if (res.code !== 0) {
    throw new Error(`Formatting Kafka storage failed (exit ${res.code}):\n${tail(res.output)}`);
  }
}

/**
 * Launches the broker (stdout/stderr straight to broker.log) and returns how to stop it. A JVM
 * whose caller never called stop() is killed when this process exits.
 */
async function launch({ jvmArgs, propsFile, dataDir, logFile, version, ownsDir }) {
  await fsp.appendFile(logFile, `--- kafka.Kafka ${version} start ${new Date().toISOString()} ---\n`);
  const fd = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(javaBin(), [...jvmArgs, 'kafka.Kafka', propsFile], {
      cwd: dataDir,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    fs.closeSync(fd);
  }
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => resolve({ code: null, signal: null, err }));
  });
  let exitInfo = null;
  exited.then((info) => (exitInfo = info));
  child.unref();

  let stopped = false;
  let keepDataOnExit = !ownsDir;
  const onProcessExit = () => {
    // Last resort if the caller never called stop(): don't leave an orphan JVM behind.
    if (!exitInfo) {
      try {
        child.kill('SIGKILL');
      } catch {
        // ignore
      }
    }
    if (!keepDataOnExit) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', onProcessExit);

  const stop = async ({ keepData = false } = {}) => {
    if (stopped) return;
    stopped = true;
    keepDataOnExit = keepData;
    if (!exitInfo) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exitInfo) child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', onProcessExit);
    if (!keepData) await fsp.rm(dataDir, { recursive: true, force: true });
  };
  return { exited, exitInfo: () => exitInfo, stop };
}

/** Waits for the log line saying the server started and the port accepting TCP; why not, or null. */
async function waitReady({ broker, logFile, logStart, port, timeoutMs }) {
  const deadline = Date.now() + (timeoutMs ?? READY_TIMEOUT_MS);
  for (;;) {
    const exitInfo = broker.exitInfo();
    if (exitInfo) {
      return exitInfo.err
        ? `could not run ${javaBin()}: ${exitInfo.err.message}`
        : `the broker exited early (${exitInfo.signal || `code ${exitInfo.code}`})`;
    }
    const text = await readFrom(logFile, logStart);
    if (READY_RE.test(text) && (await canConnect(port))) return null;
    if (Date.now() > deadline) {
      return `the broker was not ready within ${(timeoutMs ?? READY_TIMEOUT_MS) / 1000} s`;
    }
    await sleep(200);
  }
}

/**
 * Starts a single-node KRaft Kafka broker.
 * @param {object} [opts]
 * @param {string} [opts.version] Kafka version (default: $FLOWSCOPE_KAFKA_VERSION, the
 *   version last used with `dataDir`, or 4.1.1)
 * @param {number} [opts.port] PLAINTEXT port on 127.0.0.1 (default: the port last used
 *   with `dataDir`, else a free one)
 * @param {string} [opts.dataDir] reuse/restart on this directory (formatted only if new)
 * @param {Record<string,string|number|boolean>} [opts.props] extra server.properties
 * @param {number} [opts.timeoutMs] readiness timeout (default 90000)
 * @param {{name: string, password: string}[]} [opts.saslUsers] also open a SASL_SSL listener
 *   (PLAIN, SCRAM-SHA-256/512) for these users, with a self-signed certificate
 * @returns {Promise<{brokers: string, port: number, version: string, dataDir: string,
 *   saslSsl?: {brokers: string, ca: string},
 *   stop: (opts?: {keepData?: boolean}) => Promise<void>}>}
 */
export async function startKafka({ version, port, dataDir, props = {}, timeoutMs, saslUsers } = {}) {
  const t0 = Date.now();
  const ownsDir = !dataDir;
  dataDir = dataDir ? path.resolve(dataDir) : await fsp.mkdtemp(path.join(os.tmpdir(), 'flowscope-kafka-'));
  if (!ownsDir) await fsp.mkdir(dataDir, { recursive: true });
  try {
    const prev = stateOf(dataDir);
    version = resolveVersion(version || process.env.FLOWSCOPE_KAFKA_VERSION || prev?.version);
    const cp = await ensureKafka(version);
    const ports = await choosePorts(port, prev, saslUsers);
    port = ports.port;
    const { controllerPort, securePort } = ports;
    const secure = saslUsers ? await secureListener(dataDir, securePort, saslUsers) : undefined;

    const kafkaDataDir = path.join(dataDir, KAFKA_DATA_SUBDIR);
    const propsFile = path.join(dataDir, 'server.properties');
    await fsp.writeFile(propsFile, serverProperties({ port, controllerPort, kafkaDataDir, props, secure }));
    const jvmArgs = await jvmArgsFor(cp, dataDir);
    const logFile = path.join(dataDir, 'broker.log');
    const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;

    // Format storage once per data dir.
    const clusterId = prev?.clusterId || newClusterId();
    if (!fs.existsSync(path.join(kafkaDataDir, 'meta.properties'))) {
      await formatStorage({ jvmArgs, clusterId, propsFile, logFile, saslUsers });
    }
    await fsp.writeFile(
      path.join(dataDir, STATE_FILE),
      JSON.stringify({ version, port, controllerPort, securePort, clusterId }, null, 2) + '\n',
    );

    const broker = await launch({ jvmArgs, propsFile, dataDir, logFile, version, ownsDir });
    const failure = await waitReady({ broker, logFile, logStart, port, timeoutMs });
    if (failure) {
      const lines = tail(await readFrom(logFile, logStart));
      await broker.stop({ keepData: !ownsDir });
      throw new Error(
        `Kafka ${version} failed to start: ${failure}.\n` +
          `Last ${LOG_TAIL_LINES} lines of broker.log${ownsDir ? '' : ` (${logFile})`}:\n` +
          (lines || '(empty)'),
      );
    }

    return {
      brokers: `127.0.0.1:${port}`,
      port,
      version,
      dataDir,
      logFile,
      startupMs: Date.now() - t0,
      ...(secure ? { saslSsl: { brokers: `127.0.0.1:${securePort}`, ca: secure.ca } } : {}),
      /** @internal exit promise, used by the CLI */
      exited: broker.exited,
      stop: broker.stop,
    };
  } catch (err) {
    if (ownsDir) await fsp.rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
