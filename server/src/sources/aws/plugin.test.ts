import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli, resolveConfig, sourcesOf } from '../../config.js';
import { rootLogger } from '../../log.js';
import { describeAwsError, READ_ACTIONS, TAP_ACTIONS } from './errors.js';
import { awsPlugin, type AwsConfig } from './plugin.js';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  resolveConfig(buildCli().exitOverride().parse(args, { from: 'user' }), env);

const configFile = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'flowscope-aws-')), 'flowscope.yaml');
  writeFileSync(path, text);
  return path;
};

describe('aws plugin configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads flags and their environment variables', () => {
    vi.stubEnv('FLOWSCOPE_AWS_REGION', 'eu-west-1');
    vi.stubEnv('FLOWSCOPE_AWS_TOPICS', 'orders,payments-*');
    const r = parse(['--aws-name', 'prod', '--aws-buses', 'shop', '--aws-endpoint', 'http://127.0.0.1:4566']);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(sourcesOf(r.config, 'sqs')).toEqual([
      expect.objectContaining({
        cluster: 'prod',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4566',
        queues: ['*'],
        topics: ['orders', 'payments-*'],
        buses: ['shop'],
      }),
    ]);
  });

  it('names several accounts and regions in the file, keys from the environment, and never shows them', () => {
    const file = configFile(
      [
        'aws:',
        '  - name: prod-eu',
        '    region: eu-west-1',
        '    profile: prod',
        '    topics: [orders]',
        '  - name: staging-us',
        '    region: us-east-1',
        '    accessKeyId: { env: STAGING_KEY }',
        '    secretAccessKey: { env: STAGING_SECRET }',
        '    buses: [default]',
        '',
      ].join('\n'),
    );
    const ok = parse(['--config', file], { STAGING_KEY: 'AKIASTAGING', STAGING_SECRET: 'very-secret-value' });
    if (!ok.ok) throw new Error(ok.errors.join('\n'));
    const configs = sourcesOf(ok.config, 'sqs') as AwsConfig[];
    expect(configs.map((c) => [awsPlugin.sourceId(c), c.region, c.profile])).toEqual([
      ['sqs:prod-eu', 'eu-west-1', 'prod'],
      ['sqs:staging-us', 'us-east-1', undefined],
    ]);
    const staging = configs[1] as AwsConfig;
    expect(staging.secretAccessKey).toBe('very-secret-value');
    const source = awsPlugin.create(staging, rootLogger);
    const shown = JSON.stringify([awsPlugin.describe(staging), source.target, source.id, source.servers ?? []]);
    expect(shown).not.toContain('very-secret-value');
    expect(shown).not.toContain('AKIASTAGING');
    const missing = parse(['--config', file], { STAGING_KEY: 'AKIASTAGING' });
    expect(!missing.ok && missing.errors).toContain(
      'aws[1].secretAccessKey: environment variable STAGING_SECRET is not set',
    );
  });

  it('has a downtime gap only when it taps topics or buses', () => {
    const config = (topics: string[]): AwsConfig => ({
      kind: 'sqs',
      cluster: 'c',
      region: 'eu-west-1',
      queues: ['*'],
      topics,
      buses: [],
    });
    expect(awsPlugin.downtimeGap?.(config(['orders']), 1000, 2000)).toMatchObject({ reason: 'not-running' });
    expect(awsPlugin.downtimeGap?.(config([]), 1000, 2000)).toBeUndefined();
    expect(awsPlugin.describe(config([]))).toBe('AWS c (eu-west-1)');
  });

  it('explains refused calls with the IAM actions the map and the tap need', () => {
    const err = Object.assign(new Error('User is not authorized to perform: sqs:CreateQueue'), {
      name: 'AccessDenied',
    });
    const p = describeAwsError(err, 'prod, eu-west-1');
    expect(p.reason).toBe('misconfigured');
    for (const action of [...READ_ACTIONS, ...TAP_ACTIONS]) expect(p.hint).toContain(action);
    const creds = Object.assign(new Error('The security token included in the request is invalid.'), {
      name: 'InvalidClientTokenId',
    });
    expect(describeAwsError(creds, 'prod, eu-west-1').reason).toBe('auth-failed');
    expect(describeAwsError(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'x').reason).toBe('unreachable');
  });
});
