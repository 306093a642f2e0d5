import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli, resolveConfig, sourcesOf } from '../../config.js';
import { rootLogger } from '../../log.js';
import { rabbitmqPlugin, type RabbitConfig } from './plugin.js';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  resolveConfig(buildCli().exitOverride().parse(args, { from: 'user' }), env);
const rabbitOf = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = parse(args, env);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return sourcesOf(r.config, 'rabbitmq') as unknown as RabbitConfig[];
};

describe('rabbitmq configuration', () => {
  it('takes the management API from the AMQP host on 15672 with the same credentials, in mirror mode', () => {
    const [c] = rabbitOf(['--rabbitmq', 'amqp://app:s3cret@mq.local:5672/shop', '--exchanges', 'orders,/pay.*/']);
    expect(c).toMatchObject({
      kind: 'rabbitmq',
      cluster: 'rabbit',
      exchanges: ['orders', '/pay.*/'],
      wildcard: false,
      firehose: false,
      management: { url: 'http://mq.local:15672', username: 'app', password: 's3cret' },
    });
  });

  it('turns the firehose and wildcards on only when asked', () => {
    const [c] = rabbitOf(['--rabbitmq', 'amqp://mq.local', '--rabbitmq-firehose', '--rabbitmq-wildcard']);
    expect(c).toMatchObject({ firehose: true, wildcard: true, management: { username: 'guest' } });
  });

  it('reads streams by offset only when named, from latest unless told, with per-stream starts', () => {
    const [none] = rabbitOf(['--rabbitmq', 'amqp://mq.local']);
    expect(none?.streams).toBeUndefined();
    expect(none?.from).toEqual({ kind: 'latest' });
    const [c] = rabbitOf([
      ...['--rabbitmq', 'amqp://mq.local', '--rabbitmq-streams', 'orders,/^audit\\./'],
      ...['--rabbitmq-from', 'earliest', '--rabbitmq-from', 'audit.eu=1200'],
    ]);
    expect(c).toMatchObject({
      streams: ['orders', '/^audit\\./'],
      from: { kind: 'earliest' },
      start: { 'audit.eu': { kind: 'offset', offset: '1200' } },
    });
  });

  it('reads the config file section with secrets from the environment, and never shows them', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'flowscope-rabbit-')), 'f.yaml');
    writeFileSync(
      path,
      [
        'rabbitmq:',
        '  - cluster: payments-mq',
        '    url: amqp://app@mq.local:5672/',
        '    password: { env: MQ_PASSWORD }',
        '    exchanges: [payments]',
        '    wildcard: true',
        '    management: { url: "http://mgmt.local:15672", username: monitor, password: { env: MGMT_PASSWORD } }',
        '    streams: [audit]',
        '    from: 2026-01-01T00:00:00Z',
        '    start: { audit: 42 }',
      ].join('\n'),
    );
    const [c] = rabbitOf(['--config', path], { MQ_PASSWORD: 'amqp-pw', MGMT_PASSWORD: 'mgmt-pw' });
    expect(c).toMatchObject({
      cluster: 'payments-mq',
      wildcard: true,
      management: { url: 'http://mgmt.local:15672', username: 'monitor', password: 'mgmt-pw' },
      streams: ['audit'],
      from: { kind: 'time', at: Date.parse('2026-01-01T00:00:00Z') },
      start: { audit: { kind: 'offset', offset: '42' } },
    });
    expect(c?.url).toContain('amqp-pw');
    if (!c) return;
    const shown = `${rabbitmqPlugin.describe(c)} ${rabbitmqPlugin.create(c, rootLogger).target}`;
    expect(shown).not.toMatch(/amqp-pw|mgmt-pw/);
    expect(shown).toMatch(/mq\.local:5672/);
    expect(shown).toMatch(/wildcard: unroutable messages no longer reach alternate exchanges/);

    const missing = parse(['--config', path], {});
    expect(!missing.ok && missing.errors.join('\n')).toMatch(
      /rabbitmq\[0\]\.password: environment variable MQ_PASSWORD/,
    );
  });
});
