import { spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { eventually, freePort } from './helpers.js';

/** The machine's Mosquitto (2.0, MQTT 5). Tests never restart it: connection loss goes through a forwarder. */
export const MQTT_URL = 'mqtt://127.0.0.1:1883';

export const unique = (label: string) => `flowscope-it/${label}-${randomBytes(4).toString('hex')}`;

/** An application's client: MQTT 5 unless told otherwise, never reconnecting by itself (a drop must show). */
export function appClient(clientId: string, url = MQTT_URL, options: IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 5, clientId, reconnectPeriod: 0, ...options });
}

/**
 * Whether a session with this client id exists on the broker, connected or kept: connecting with it
 * without clean start says so (`sessionPresent`). The probe asks for no session of its own, so it
 * leaves nothing either. Only for ids of Flowscope's taps: it would take over a live connection.
 */
export async function sessionPresent(clientId: string, url = MQTT_URL): Promise<boolean> {
  const probe = mqtt.connect(url, {
    protocolVersion: 5,
    clientId,
    clean: false,
    reconnectPeriod: 0,
    properties: { sessionExpiryInterval: 0 },
  });
  const present = await new Promise<boolean>((resolve, reject) => {
    probe.once('connect', (connack) => resolve(connack.sessionPresent));
    probe.once('error', reject);
  });
  await probe.endAsync();
  return present;
}

export type PrivateBroker = {
  url: string;
  log: () => string;
  stop: () => Promise<void>;
  /** Stops the broker and starts it again on the same port and config (it keeps no session or message). */
  restart: () => Promise<void>;
};

/** Anonymous clients may subscribe only to `allowed/#`; the user `flowscope` may subscribe to everything. */
function dynamicSecurity(password: string) {
  const salt = randomBytes(12);
  return {
    defaultACLAccess: { publishClientSend: true, publishClientReceive: true, subscribe: false, unsubscribe: true },
    anonymousGroup: 'anonymous',
    groups: [{ groupname: 'anonymous', roles: [{ rolename: 'allowed-only' }], clients: [] }],
    roles: [
      { rolename: 'allowed-only', acls: [{ acltype: 'subscribePattern', topic: 'allowed/#', allow: true }] },
      { rolename: 'reader', acls: [{ acltype: 'subscribePattern', topic: '#', allow: true }] },
    ],
    clients: [
      {
        username: 'flowscope',
        password: pbkdf2Sync(password, salt, 101, 64, 'sha512').toString('base64'),
        salt: salt.toString('base64'),
        iterations: 101,
        roles: [{ rolename: 'reader' }],
      },
    ],
  };
}

/**
 * A second Mosquitto of the test's own, on a free port with its own config in a temp dir (the
 * machine's broker is never touched): subscriptions checked by the dynamic security plugin, so
 * an ACL can refuse one (SUBACK 0x87), and a user with a password; or, with `security: false`,
 * open to all. `extra` lines go in its config (queue limits, $SYS interval).
 */
export async function privateBroker(
  password: string,
  { security = true, extra = [] }: { security?: boolean; extra?: string[] } = {},
): Promise<PrivateBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-mosquitto-'));
  // Mosquitto started as root drops to its own user: it must be able to read the config and write the log.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const logFile = join(dir, 'mosquitto.log');
  writeFileSync(logFile, '', { mode: 0o666 });
  chmodSync(logFile, 0o666);
  writeFileSync(join(dir, 'dynsec.json'), JSON.stringify(dynamicSecurity(password)), { mode: 0o644 });
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      ...(security
        ? [
            'plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so',
            `plugin_opt_config_file ${join(dir, 'dynsec.json')}`,
          ]
        : []),
      'persistence false',
      ...extra,
      `log_dest file ${logFile}`,
      'log_type all',
    ].join('\n'),
    { mode: 0o644 },
  );
  const log = () => readFileSync(logFile, 'utf8');
  const starts = () => log().match(/mosquitto version .* running/g)?.length ?? 0;
  const launch = async () => {
    const before = starts();
    const started = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await eventually(() => (starts() > before ? true : undefined), 10_000, 'mosquitto up');
    return started;
  };
  const kill = async (c: ReturnType<typeof spawn>) => {
    if (c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await exited;
  };
  let child = await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    log,
    stop: async () => {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await kill(child);
      child = await launch();
    },
  };
}

/**
 * A broker front that speaks only MQTT 3.1.1, as an older broker does: an MQTT 5 CONNECT is answered
 * with return code 1 (unacceptable protocol version) and closed; anything else goes to `target`.
 */
export async function mqtt311Only(target: string) {
  const port = await freePort();
  const [host, targetPort] = target.split(':') as [string, string];
  const sockets = new Set<Socket>();
  let refusedV5 = 0;
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    client.once('data', (first: Buffer) => {
      // Fixed header, remaining length (1–4 bytes), protocol name (2 + 4 bytes), then the level.
      let i = 1;
      while ((first[i] ?? 0) & 0x80) i += 1;
      const level = first[i + 1 + 6];
      if (level === 5) {
        refusedV5 += 1;
        client.end(Buffer.from([0x20, 0x02, 0x00, 0x01]));
        return;
      }
      const upstream = netConnect(Number(targetPort), host);
      sockets.add(upstream);
      upstream.on('error', () => undefined);
      upstream.write(first);
      client.pipe(upstream).pipe(client);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    refusedV5: () => refusedV5,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
