import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli, resolveConfig, sourcesOf } from './config.js';
import type { KafkaConfig } from './sources/kafka/plugin.js';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  resolveConfig(buildCli().exitOverride().parse(args, { from: 'user' }), env);
const dir = mkdtempSync(join(tmpdir(), 'flowscope-config-'));
const file = (name: string, yaml: string) => {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
};

describe('config from flags', () => {
  it('runs the demo on 127.0.0.1 with a random token by default', () => {
    const a = parse([]);
    const b = parse([]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.config).toMatchObject({ host: '127.0.0.1', port: 7420, sources: [{ kind: 'demo', ordersPerSecond: 1 }] });
    expect(a.config.token.length).toBeGreaterThanOrEqual(22); // 128+ bits in base64url
    expect(a.config.token).not.toBe(b.config.token);
  });

  it('turns the demo off when a broker is given, and reads topics and regexes', () => {
    const r = parse(['--kafka', 'localhost:9092', '--topics', 'orders,/pay.*/', '--from', 'earliest']);
    expect(r.ok && r.config.sources).toEqual([
      expect.objectContaining({
        kind: 'kafka',
        brokers: ['localhost:9092'],
        topics: ['orders', '/pay.*/'],
        from: { kind: 'earliest' },
      }),
    ]);
  });

  it('reads a default start position and per-topic ones, and a fixed group id', () => {
    const r = parse([
      '--kafka',
      'localhost:9092',
      '--from',
      '15m',
      '--from',
      'orders=0:42,1:17',
      '--from',
      'payments=2026-11-22T10:00:00Z',
      '--group-id',
      'flowscope-audit',
    ]);
    expect(r.ok && sourcesOf<KafkaConfig>(r.config, 'kafka')[0]).toMatchObject({
      from: { kind: 'ago', ms: 900_000 },
      start: {
        orders: { kind: 'offsets', offsets: { 0: '42', 1: '17' } },
        payments: { kind: 'time', at: Date.UTC(2026, 10, 22, 10) },
      },
      groupId: 'flowscope-audit',
    });
    expect(() => parse(['--kafka', 'localhost:9092', '--from', 'yesterday'])).toThrow(
      /argument 'yesterday' is invalid\. .*use latest, earliest, a duration/,
    );
  });

  it('refuses to bind beyond loopback without a chosen token, and says why', () => {
    const r = parse(['--host', '0.0.0.0']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/--host: binding to 0.0.0.0 .*FLOWSCOPE_TOKEN/);
  });

  it('points at the bad value for a malformed broker address', () => {
    const r = parse(['--kafka', 'not a broker']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^kafka\[0\]\.brokers\[0\].*: expected host:port/);
  });

  it('adds correlation key rules and mask rules, scoped to channels, and rejects malformed ones', () => {
    const r = parse([
      '--key',
      'customer=payload:data.customer.id@customers.*',
      '--key',
      'tenant=header:x-tenant',
      '--mask',
      'payload:card.number@payments',
      '--mask',
      'header:authorization',
    ]);
    expect(r.ok && r.config.rules.slice(-2)).toEqual([
      { name: 'customer', from: 'payload', path: 'data.customer.id', channel: 'customers.*' },
      { name: 'tenant', from: 'header', path: 'x-tenant' },
    ]);
    expect(r.ok && r.config.masks).toEqual([
      { target: 'payload', path: 'card.number', channel: 'payments' },
      { target: 'header', path: 'authorization' },
    ]);
    expect(() => parse(['--key', 'oops'])).toThrow(/not a key rule/);
    expect(() => parse(['--mask', 'payload'])).toThrow(/not a mask rule/);
  });
});

describe('hot correlation keys', () => {
  const yaml = file('hot.yaml', 'correlation:\n  hotKeyEvents: 20000\n');
  it.each([
    [[], 1000],
    [['--hot-key-events', '5000'], 5000],
    [['--config', yaml], 20_000],
    [['--config', yaml, '--hot-key-events', '300'], 300],
  ])('%j: a key value on more than %i retained events is hot', (args, expected) => {
    const r = parse(args);
    expect(r.ok && r.config.hotKeyEvents).toBe(expected);
  });

  it('names the flag when the bound is too low to mean anything', () => {
    const r = parse(['--hot-key-events', '1']);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toMatch(/^--hot-key-events: /);
  });
});

describe('trace links', () => {
  const yaml = file('links.yaml', 'links:\n  trace: https://tempo.example/trace/{traceId}\n');
  it.each([
    [[], undefined],
    [['--trace-url', 'http://localhost:16686/trace/{traceId}'], 'http://localhost:16686/trace/{traceId}'],
    [['--config', yaml], 'https://tempo.example/trace/{traceId}'],
    [
      ['--config', yaml, '--trace-url', 'http://zipkin:9411/zipkin/traces/{traceId}'],
      'http://zipkin:9411/zipkin/traces/{traceId}',
    ],
  ])('%j: flows link their trace to %s', (args, expected) => {
    const r = parse(args);
    expect(r.ok && r.config.traceUrl).toBe(expected);
  });

  it.each([
    ['http://localhost:16686/trace/', /must contain \{traceId\}/],
    ['javascript:alert(1)//{traceId}', /must be an http\(s\) URL/],
  ])('refuses %s, naming the flag', (url, why) => {
    const r = parse(['--trace-url', url]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toMatch(/^--trace-url \(or links.trace\): /);
    expect(!r.ok && r.errors.join('\n')).toMatch(why);
  });
});

describe('config file', () => {
  const good = file(
    'good.yaml',
    `server:
  port: 9000
storage:
  retention: 7d
  maxSize: 2GB
kafka:
  - cluster: prod
    brokers: [broker-1:9092, broker-2:9092]
    topics: [orders, /payments\\..*/]
    sasl:
      mechanism: scram-sha-512
      username: flowscope
      password: { env: KAFKA_PASSWORD }
masking:
  - { target: payload, path: card.number, channel: payments }
`,
  );

  it('reads every section, with secrets from the environment', () => {
    const r = parse(['--config', good], { KAFKA_PASSWORD: 's3cret' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ port: 9000, retentionMs: 7 * 86_400_000, maxDbBytes: 2 * 1024 ** 3 });
    expect(r.config.sources).toMatchObject([
      {
        cluster: 'prod',
        brokers: ['broker-1:9092', 'broker-2:9092'],
        sasl: { mechanism: 'scram-sha-512', username: 'flowscope', password: 's3cret' },
      },
    ]);
    expect(r.config.masks).toEqual([{ target: 'payload', path: 'card.number', channel: 'payments' }]);
  });

  it('lets flags override the file', () => {
    const r = parse(['--config', good, '--port', '9100'], { KAFKA_PASSWORD: 'x' });
    expect(r.ok && r.config.port).toBe(9100);
  });

  it('says which environment variable a secret is missing from', () => {
    const r = parse(['--config', good], {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(['kafka[0].sasl.password: environment variable KAFKA_PASSWORD is not set']);
  });

  it('points at the bad field, the unknown field and the YAML line', () => {
    const bad = file(
      'bad.yaml',
      'server:\n  port: "eighty"\nkafka:\n  - cluster: x\n    brokers: [nohost]\n    topcs: [a]\n',
    );
    const r = parse(['--config', bad]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContainEqual(expect.stringMatching(/bad\.yaml: server\.port: .*number/i));
    expect(r.errors).toContainEqual(expect.stringMatching(/bad\.yaml: kafka\[0\]\.brokers\[0\]: expected host:port/));
    expect(r.errors).toContainEqual(expect.stringMatching(/bad\.yaml: kafka\[0\]: unknown field "topcs"/));

    const broken = file('broken.yaml', 'server:\n  port: [1, 2\n');
    const b = parse(['--config', broken]);
    expect(!b.ok && b.errors[0]).toMatch(/broken\.yaml: .*\(line \d+\)/);
  });

  it('the sample config in the repository is valid', () => {
    const r = parse(['--config', join(import.meta.dirname, '../../flowscope.example.yaml')], {
      KAFKA_PASSWORD: 'x',
      SCHEMA_REGISTRY_PASSWORD: 'z',
      FLOWSCOPE_TOKEN_FILE_SECRET: 'y'.repeat(32),
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(sourcesOf(r.config, 'kafka').length).toBeGreaterThan(0);
    expect(r.config.decoding.registry?.url).toMatch(/^https?:/);
  });

  it('names a schema file that cannot be read or compiled', () => {
    writeFileSync(
      join(dir, 'broken.avsc'),
      '{"type": "record", "name": "X", "fields": [{"name": "a", "type": "Nope"}]}',
    );
    const withSchemas = file(
      'schemas.yaml',
      'schemas:\n  files:\n    - { channel: a, file: missing.avsc }\n    - { channel: b, source: "kafka:*", file: broken.avsc }\n    - { channel: c, file: x.proto }\n',
    );
    const r = parse(['--config', withSchemas]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      expect.stringMatching(/^schemas\.files\[0\]\.file: cannot read .*missing\.avsc \(ENOENT\)$/),
      'schemas.files[1].file: unknown Avro type "Nope"',
      expect.stringMatching(/^schemas\.files\[2\]\.file: cannot read/),
    ]);
  });
});
