#!/usr/bin/env node
// Runs a real single-node Apache Kafka broker (KRaft, combined broker+controller)
// without Docker: the jars are resolved from Maven Central with `mvn` and cached,
// the broker runs as a plain `java` child process.
//
// Dependency-free (node: built-ins only). Usage:
//   node scripts/kafka.mjs fetch [--version 4.1.1]
//   node scripts/kafka.mjs start [--port 9092] [--version 4.1.1] [--data-dir DIR] [--keep-data]
//
// Library (tests):
//   import { startKafka, ensureKafka } from '../scripts/kafka.mjs';
//   const kafka = await startKafka();            // { brokers, port, version, dataDir, stop }
//   await kafka.stop({ keepData: true });
//   const again = await startKafka({ dataDir: kafka.dataDir, port: kafka.port });
//   await again.stop();                          // kills the JVM and removes dataDir
//
// Environment:
//   FLOWSCOPE_KAFKA_VERSION  Kafka version (default 4.1.1), e.g. 3.9.1
//   FLOWSCOPE_CACHE          cache root (default <repo>/.cache); jars' classpath is cached
//                            in <root>/kafka/<version>/classpath.txt
//   JAVA_HOME                if set, $JAVA_HOME/bin/java is used instead of `java`
//
// The parts live in scripts/kafka/: jars (Maven), brokerConfig (server.properties, SASL_SSL,
// logging), ports, broker (startKafka) and produce (produceWithJava).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKafka } from './kafka/broker.mjs';
import { DEFAULT_KAFKA_VERSION, ensureKafka, kafkaCacheDir, resolveVersion } from './kafka/jars.mjs';
import { log, readFrom, tail } from './kafka/support.mjs';

export { startKafka } from './kafka/broker.mjs';
export { DEFAULT_KAFKA_VERSION, ensureKafka, kafkaCacheDir } from './kafka/jars.mjs';
export { produceWithJava } from './kafka/produce.mjs';

const SCRIPT_PATH = fileURLToPath(import.meta.url);

const USAGE = `Usage:
  node scripts/kafka.mjs fetch [--version V]
      Resolve and cache the Kafka jars (Maven Central), nothing else.
  node scripts/kafka.mjs start [--port P] [--version V] [--data-dir DIR] [--keep-data]
      Run a single-node KRaft broker in the foreground on 127.0.0.1. Prints
      "Kafka <version> ready on 127.0.0.1:<port>" on stdout once it accepts clients.
      Ctrl-C / SIGTERM stops it and deletes its data (unless --keep-data).

Environment: FLOWSCOPE_KAFKA_VERSION (default ${DEFAULT_KAFKA_VERSION}), FLOWSCOPE_CACHE, JAVA_HOME.`;

function parseArgs(argv) {
  const opts = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') ? a.split(/=(.*)/s, 2) : [a];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port':
        opts.port = Number(value());
        if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
          throw new Error('--port must be a port number');
        }
        break;
      case '--version':
        opts.version = value();
        break;
      case '--data-dir':
        opts.dataDir = value();
        break;
      case '--keep-data':
        opts.keepData = true;
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        if (a.startsWith('-')) throw new Error(`Unknown option ${a}`);
        opts._.push(a);
    }
  }
  return opts;
}

async function main(argv) {
  const opts = parseArgs(argv);
  const cmd = opts._[0];
  if (opts.help || !cmd) {
    console.log(USAGE);
    return opts.help ? 0 : 2;
  }
  if (cmd === 'fetch') {
    const version = resolveVersion(opts.version);
    const cp = await ensureKafka(version);
    console.log(
      `Kafka ${version}: ${cp.split(path.delimiter).length} jars, classpath cached in ` +
        path.join(kafkaCacheDir(version), 'classpath.txt'),
    );
    return 0;
  }
  if (cmd === 'start') {
    const kafka = await startKafka({
      version: opts.version,
      port: opts.port,
      dataDir: opts.dataDir,
    });
    log(`Started in ${(kafka.startupMs / 1000).toFixed(1)} s; data: ${kafka.dataDir}`);
    console.log(`Kafka ${kafka.version} ready on ${kafka.brokers}`);
    let stopping = false;
    const shutdown = async (sig) => {
      if (stopping) return;
      stopping = true;
      log(`${sig}: stopping Kafka…`);
      await kafka.stop({ keepData: Boolean(opts.keepData) });
      log('Stopped.');
      process.exit(0);
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGHUP', () => shutdown('SIGHUP'));
    const keepAlive = setInterval(() => {}, 1 << 30);
    const info = await kafka.exited;
    if (stopping) return new Promise(() => {}); // shutdown() exits
    clearInterval(keepAlive);
    const lines = tail(await readFrom(kafka.logFile, 0));
    console.error(
      `Kafka exited unexpectedly (${info.signal || `code ${info.code}`}). Last lines of ${kafka.logFile}:\n${lines}`,
    );
    await kafka.stop({ keepData: true });
    return 1;
  }
  console.error(`Unknown command: ${cmd}\n\n${USAGE}`);
  return 2;
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(SCRIPT_PATH);
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
