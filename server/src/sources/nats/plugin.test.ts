import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli, resolveConfig, sourcesOf } from '../../config.js';
import { parseNatsUrl } from './natsSource.js';
import { natsPlugin, type NatsConfig } from './plugin.js';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  resolveConfig(buildCli().exitOverride().parse(args, { from: 'user' }), env);

const scratch = () => mkdtempSync(join(tmpdir(), 'flowscope-nats-'));

describe('nats plugin configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads flags and their environment variables, with no core subject and every stream by default', () => {
    vi.stubEnv('FLOWSCOPE_NATS_URL', 'nats://127.0.0.1:4223');
    vi.stubEnv('FLOWSCOPE_NATS_NAME', 'edge');
    vi.stubEnv('FLOWSCOPE_NATS_PASSWORD', 'pw');
    const r = parse(['--nats-user', 'tap', '--nats-from', 'ORDERS=earliest', '--nats-kv', 'cfg', '--nats-acks']);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(sourcesOf(r.config, 'nats')).toEqual([
      expect.objectContaining({
        cluster: 'edge',
        url: 'nats://127.0.0.1:4223',
        user: 'tap',
        password: 'pw',
        subjects: [],
        streams: ['*'],
        from: { kind: 'latest' },
        start: { ORDERS: { kind: 'earliest' } },
        kv: ['cfg'],
        acks: true,
      }),
    ]);
    const subjects = parse(['--nats', 'nats://h:1', '--subjects', 'orders.>,inventory.*', '--nats-streams', '']);
    if (!subjects.ok) throw new Error(subjects.errors.join('\n'));
    expect(sourcesOf(subjects.config, 'nats')).toEqual([
      expect.objectContaining({ subjects: ['orders.>', 'inventory.*'], streams: [] }),
    ]);
  });

  it('takes secrets of a nats: entry from the environment, a creds file beside the config file, and names what is missing', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'tap.creds'), 'creds');
    const file = join(dir, 'flowscope.yaml');
    writeFileSync(
      file,
      'nats:\n  - url: nats://bus:4222\n    token: { env: NATS_TOKEN }\n    creds: tap.creds\n    subjects: [orders.>]\n    from: 2000\n    consumers: { refresh: 30s, services: { billing: billing-svc } }\n',
    );
    const ok = parse(['--config', file], { NATS_TOKEN: 'tok' });
    if (!ok.ok) throw new Error(ok.errors.join('\n'));
    expect(sourcesOf(ok.config, 'nats')).toEqual([
      expect.objectContaining({
        cluster: 'nats',
        token: 'tok',
        credsFile: join(dir, 'tap.creds'),
        subjects: ['orders.>'],
        from: { kind: 'seq', seq: 2000 },
        consumerRefreshMs: 30_000,
        consumerServices: { billing: 'billing-svc' },
      }),
    ]);
    const missing = parse(['--config', file]);
    expect(!missing.ok && missing.errors).toEqual(['nats[0].token: environment variable NATS_TOKEN is not set']);
    expect(() => parse(['--nats', 'nats://x:1', '--nats-from', 'soon'])).toThrow(/"soon" is not a start position/);
  });

  it('keeps credentials in the URL out of addresses, and has a downtime gap only for what it cannot read again', () => {
    expect(parseNatsUrl('nats://tap:pw@bus:4222, tls://tok@bus2')).toEqual({
      servers: ['bus:4222', 'bus2:4222'],
      user: 'tap',
      pass: 'pw',
      token: 'tok',
      tls: true,
    });
    const config = (c: Partial<NatsConfig>): NatsConfig => ({
      kind: 'nats',
      cluster: 'c',
      url: 'nats://s3cret@h:1',
      subjects: [],
      streams: ['*'],
      from: { kind: 'latest' },
      ...c,
    });
    expect(natsPlugin.describe(config({}))).toBe('NATS c (h:1)');
    expect(natsPlugin.downtimeGap?.(config({}), 1000, 2000)).toMatchObject({ reason: 'not-running', from: 1000 });
    expect(natsPlugin.downtimeGap?.(config({ from: { kind: 'earliest' } }), 1000, 2000)).toBeUndefined();
    expect(
      natsPlugin.downtimeGap?.(config({ from: { kind: 'earliest' }, subjects: ['orders.>'] }), 1000, 2000)?.detail,
    ).toMatch(/core NATS keeps nothing/);
  });
});
