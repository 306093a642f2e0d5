import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveConfig, buildCli } from '../src/config.js';
import { startServer } from '../src/server.js';
import { allEvents, eventually, sourceStatus, TOKEN } from './helpers.js';

const plain = inject('kafkaBrokers');
const secure = inject('kafkaSecure');
const run = randomBytes(3).toString('hex');
const topic = `secure-${run}`;
const dir = mkdtempSync(join(tmpdir(), 'flowscope-tls-'));
writeFileSync(join(dir, 'broker-ca.pem'), secure.ca);

beforeAll(async () => {
  const kafka = new Kafka({ clientId: 'security-test', brokers: [plain], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'A-1', value: JSON.stringify({ orderId: 'A-1' }) }] });
  await producer.disconnect();
});

/** Flowscope started the way a user would: a YAML file with the CA file and the password in the environment. */
async function startWith(yaml: string, env: NodeJS.ProcessEnv) {
  const file = join(dir, `flowscope-${randomBytes(3).toString('hex')}.yaml`);
  writeFileSync(file, yaml);
  const cli = buildCli()
    .exitOverride()
    .parse(['--port', '0', '--token', TOKEN, '--no-store', '--config', file], { from: 'user' });
  const result = resolveConfig(cli, env);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return startServer(result.config);
}

const clusterYaml = (opts: { mechanism: string; ca?: boolean }) => `
kafka:
  - cluster: secure
    brokers: [${secure.brokers}]
    topics: [${topic}]
    from: earliest
    ssl: ${opts.ca === false ? 'true' : '{ ca: broker-ca.pem }'}
    sasl:
      mechanism: ${opts.mechanism}
      username: ${secure.username}
      password: { env: KAFKA_PASSWORD }
`;

describe('Kafka over TLS with SASL, against the broker’s SASL_SSL listener', () => {
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])('reads records with SASL %s over TLS', async (mechanism) => {
    const server = await startWith(clusterYaml({ mechanism }), { KAFKA_PASSWORD: secure.password });
    try {
      const events = await eventually(
        async () => ((await allEvents(server)).length >= 1 ? allEvents(server) : undefined),
        30_000,
        'the record over SASL_SSL',
      );
      expect(events[0]).toMatchObject({ channel: topic, key: { value: 'A-1' }, source: { cluster: 'secure' } });
      expect((await sourceStatus(server, 'kafka:secure'))?.state).toBe('connected');
    } finally {
      await server.close();
    }
  });

  it('taps several named clusters at once, each with its own security settings', async () => {
    const server = await startWith(
      `${clusterYaml({ mechanism: 'scram-sha-512' })}  - cluster: plain\n    brokers: [${plain}]\n    topics: [${topic}]\n    from: earliest\n`,
      { KAFKA_PASSWORD: secure.password },
    );
    try {
      const events = await eventually(
        async () => {
          const all = await allEvents(server);
          return all.length >= 2 ? all : undefined;
        },
        30_000,
        'the record from both clusters',
      );
      expect(events.map((e) => e.source.cluster).sort()).toEqual(['plain', 'secure']);
      expect(new Set(events.map((e) => e.id)).size).toBe(2);
      expect(
        events.map((e) => e.id).every((id) => id.startsWith('kafka/plain/') || id.startsWith('kafka/secure/')),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('shows refused credentials as such, without the password', async () => {
    const wrong = `not-${secure.password}`;
    const server = await startWith(clusterYaml({ mechanism: 'scram-sha-256' }), { KAFKA_PASSWORD: wrong });
    try {
      const status = await eventually(
        async () => {
          const s = await sourceStatus(server, 'kafka:secure');
          return s?.error?.reason === 'auth-failed' ? s : undefined;
        },
        30_000,
        'auth-failed',
      );
      expect(status.state).toBe('disconnected');
      expect(status.error?.hint).toMatch(/SASL mechanism, user name and password/);
      expect(JSON.stringify(status)).not.toContain(wrong);
      expect(await allEvents(server)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('says the certificate is not trusted when no CA is configured for a self-signed broker', async () => {
    const server = await startWith(clusterYaml({ mechanism: 'plain', ca: false }), { KAFKA_PASSWORD: secure.password });
    try {
      const status = await eventually(
        async () => {
          const s = await sourceStatus(server, 'kafka:secure');
          return s?.error?.reason === 'tls-failed' ? s : undefined;
        },
        30_000,
        'tls-failed',
      );
      expect(status.error?.message).toMatch(/self-signed certificate/);
      expect(status.error?.hint).toMatch(/set ssl\.ca/);
    } finally {
      await server.close();
    }
  });
});
