// Produces with Kafka's own Java client, for tests and benchmarks.

import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureKafka } from './jars.mjs';
import { javaBin, REPO_ROOT, tail } from './support.mjs';

/**
 * Produces records with Kafka's own Java client (scripts/java/Produce.java, run from source), so
 * tests see batches exactly as real applications write them, in any of Kafka's codecs.
 * @param {object} opts
 * @param {string} opts.brokers bootstrap servers
 * @param {string} opts.topic
 * @param {'none'|'gzip'|'snappy'|'lz4'|'zstd'} [opts.compression]
 * @param {{key?: string, value: string}[]} opts.records values must not contain newlines
 * @param {Record<string,string>} [opts.clientProps] extra client properties (SASL, TLS)
 * @param {string} [opts.version]
 * @returns {Promise<number>} how many records were sent
 */
export async function produceWithJava({ brokers, topic, compression = 'none', records, clientProps, version }) {
  const cp = await ensureKafka(version);
  const args = ['-cp', cp, path.join(REPO_ROOT, 'scripts', 'java', 'Produce.java'), brokers, topic, compression];
  let propsFile;
  if (clientProps) {
    propsFile = path.join(os.tmpdir(), `flowscope-produce-${process.pid}-${Date.now()}.properties`);
    await fsp.writeFile(
      propsFile,
      Object.entries(clientProps)
        .map(([k, v]) => `${k}=${String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`)
        .join('\n'),
    );
    args.push(propsFile);
  }
  const input = records.map((r) => (r.key === undefined ? r.value : `${r.key}\t${r.value}`)).join('\n') + '\n\n';
  try {
    const result = await new Promise((resolve, reject) => {
      const child = spawn(javaBin(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
      child.stdin.end(input);
    });
    const sent = /sent (\d+)/.exec(result.out);
    if (result.code !== 0 || !sent) throw new Error(`Java producer failed (exit ${result.code}):\n${tail(result.out)}`);
    return Number(sent[1]);
  } finally {
    if (propsFile) await fsp.rm(propsFile, { force: true });
  }
}
