import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCli, resolveConfig, sourcesOf } from '../../config.js';
import { rootLogger } from '../../log.js';
import { MqttSource } from './mqttSource.js';
import { mqttPlugin, type MqttConfig } from './plugin.js';

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  resolveConfig(buildCli().exitOverride().parse(args, { from: 'user' }), env);

const configFile = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'flowscope-mqtt-')), 'flowscope.yaml');
  writeFileSync(path, text);
  return path;
};

describe('mqtt plugin configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads flags and their environment variables; topics default to # and $SYS is opt-in', () => {
    vi.stubEnv('FLOWSCOPE_MQTT_URL', 'mqtt://127.0.0.1:1884');
    vi.stubEnv('FLOWSCOPE_MQTT_NAME', 'plant');
    const r = parse(['--mqtt-topics', 'ovens/#,doors/+/state', '--mqtt-sys', '--mqtt-version', '3.1.1']);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(sourcesOf(r.config, 'mqtt')).toEqual([
      {
        kind: 'mqtt',
        cluster: 'plant',
        url: 'mqtt://127.0.0.1:1884',
        topics: ['ovens/#', 'doors/+/state'],
        sys: true,
        version: '3.1.1',
      },
    ]);
    const plain = parse(['--mqtt', 'mqtt://h:1883']);
    if (!plain.ok) throw new Error(plain.errors.join('\n'));
    expect(sourcesOf(plain.config, 'mqtt')).toEqual([
      expect.objectContaining({ topics: ['#'], sys: false, version: '5' }),
    ]);
  });

  it('refuses a $share filter with why, in flags and in the file', () => {
    expect(() => parse(['--mqtt', 'mqtt://h:1883', '--mqtt-topics', 'a/#,$share/billing/orders/#'])).toThrow(
      /shared subscription.*"billing".*use "orders\/#"/,
    );
    const file = configFile('mqtt:\n  - url: mqtt://h:1883\n    topics: ["$share/g/x/#"]\n');
    const r = parse(['--config', file]);
    expect(!r.ok && r.errors).toEqual([
      expect.stringMatching(/mqtt\[0\]\.topics\[0\]: .*shared subscription.*use "x\/#"/),
    ]);
  });

  it('keeps credentials out of the URL, the description and the target', () => {
    const flags = parse(['--mqtt', 'mqtt://plant:pw%40flag@h:1883'], { FLOWSCOPE_MQTT_PASSWORD: 'ignored' });
    if (!flags.ok) throw new Error(flags.errors.join('\n'));
    const [config] = sourcesOf(flags.config, 'mqtt') as MqttConfig[];
    expect(config).toMatchObject({ url: 'mqtt://h:1883', username: 'plant', password: 'pw@flag' });
    const fromEnv = parse(['--mqtt', 'mqtt://h:1883', '--mqtt-username', 'plant'], {
      FLOWSCOPE_MQTT_PASSWORD: 'env-pw',
    });
    if (!fromEnv.ok) throw new Error(fromEnv.errors.join('\n'));
    expect(sourcesOf(fromEnv.config, 'mqtt')).toEqual([
      expect.objectContaining({ username: 'plant', password: 'env-pw' }),
    ]);
    const source = new MqttSource(config as MqttConfig, rootLogger);
    const shown = JSON.stringify([mqttPlugin.describe(config as MqttConfig), source.target, source.servers]);
    expect(shown).not.toContain('pw@flag');
    expect(shown).not.toContain('pw%40flag');
    expect(source.target).toBe('h:1883 · #');
  });

  it('takes the password of an mqtt: entry from the environment, and names the field when it is missing', () => {
    const file = configFile(
      'mqtt:\n  - url: mqtt://broker:1883\n    cluster: plant\n    username: tap\n    password: { env: MQTT_PW }\n    sys: true\n',
    );
    const ok = parse(['--config', file], { MQTT_PW: 'pw' });
    if (!ok.ok) throw new Error(ok.errors.join('\n'));
    expect(sourcesOf(ok.config, 'mqtt')).toEqual([
      {
        kind: 'mqtt',
        cluster: 'plant',
        url: 'mqtt://broker:1883',
        username: 'tap',
        password: 'pw',
        topics: ['#'],
        sys: true,
        version: '5',
      },
    ]);
    const missing = parse(['--config', file]);
    expect(!missing.ok && missing.errors).toEqual(['mqtt[0].password: environment variable MQTT_PW is not set']);
  });

  it('has a downtime gap (MQTT keeps nothing for a new subscriber), and a random client id per source', () => {
    const config: MqttConfig = { kind: 'mqtt', cluster: 'c', url: 'mqtt://h:1', topics: ['#'] };
    expect(mqttPlugin.downtimeGap?.(config, 1000, 2000)).toMatchObject({
      reason: 'not-running',
      from: 1000,
      until: 2000,
    });
    expect(mqttPlugin.describe(config)).toBe('MQTT c (h:1)');
    expect(mqttPlugin.describe({ ...config, version: '3.1.1' })).toBe('MQTT c (h:1, MQTT 3.1.1)');
    const a = new MqttSource(config, rootLogger);
    const b = new MqttSource(config, rootLogger);
    expect(a.clientId).toMatch(/^flowscope-tap-[\da-f]{12}$/);
    expect(a.clientId).not.toBe(b.clientId);
  });
});
