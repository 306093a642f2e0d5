import type { SourceProblem } from '../contract.js';

/** MQTT 5 reason codes (and the 3.1.1 CONNACK return codes 1–5) a person may meet, by code. */
const REASONS: Readonly<Record<number, string>> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
  0x80: 'unspecified error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8c: 'bad authentication method',
  0x8e: 'session taken over',
  0x8f: 'topic filter invalid',
  0x97: 'quota exceeded',
  0x9e: 'shared subscriptions not supported',
  0xa1: 'subscription identifiers not supported',
  0xa2: 'wildcard subscriptions not supported',
};

/** A reason code as text, e.g. `not authorized (0x87)`. */
export function reasonText(code: number): string {
  return `${REASONS[code] ?? 'refused'} (0x${code.toString(16).padStart(2, '0')})`;
}

/** The broker answered CONNECT with a refusal (CONNACK reason code), as opposed to a network failure. */
export class ConnectRefused extends Error {
  constructor(readonly code: number) {
    super(`the broker refused the connection: ${reasonText(code)}`);
    this.name = 'ConnectRefused';
  }

  /** A broker that does not speak MQTT 5 (3.1.1 return code 1, or MQTT 5's 0x84). */
  get unsupportedVersion(): boolean {
    return this.code === 1 || this.code === 0x84;
  }
}

/** The reason code of an mqtt.js connection error, when the broker sent one. */
export function refusal(err: unknown): ConnectRefused | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && /Connection refused/i.test((err as Error).message ?? '')
    ? new ConnectRefused(code)
    : undefined;
}

/** A refused subscription (SUBACK reason code ≥ 0x80) for the source's problem: the filter and why. */
export function refusedSubscriptions(
  refused: readonly { filter: string; code: number }[],
  where: string,
): SourceProblem {
  const list = refused.map((r) => `"${r.filter}" (${reasonText(r.code)})`).join(', ');
  const denied = refused.some((r) => r.code === 0x87 || r.code === 0x80);
  return {
    reason: 'misconfigured',
    message: `The MQTT broker at ${where} refused the subscription${refused.length > 1 ? 's' : ''} to ${list}; messages on ${refused.length > 1 ? 'those filters' : 'that filter'} are not seen. Other filters are read.`,
    hint: denied
      ? "Give Flowscope's MQTT user read (subscribe) access to the filter in the broker's ACL, or narrow --mqtt-topics (the config file's topics) to what it may read."
      : 'Check the filter against what the broker supports, or narrow --mqtt-topics.',
  };
}

/** An mqtt.js or network error as something a person can act on. `where` is host:port, never credentials. */
export function describeMqttError(err: unknown, where: string): SourceProblem {
  const refused = err instanceof ConnectRefused ? err : refusal(err);
  const text = (err instanceof Error ? err.message : String(err)).replace(/\/\/[^@/\s]*@/g, '//');
  if (refused && [4, 5, 0x86, 0x87, 0x8a, 0x8c].includes(refused.code)) {
    return {
      reason: 'auth-failed',
      message: `The MQTT broker at ${where} refused the credentials: ${reasonText(refused.code)}`,
      hint: 'Check the user name and password (in the URL given to --mqtt, FLOWSCOPE_MQTT_PASSWORD, or the password of an mqtt: entry).',
    };
  }
  if (refused) {
    return {
      reason: refused.code === 0x88 || refused.code === 0x89 || refused.code === 3 ? 'unreachable' : 'misconfigured',
      message: `The MQTT broker at ${where} refused the connection: ${reasonText(refused.code)}`,
      hint: refused.unsupportedVersion
        ? 'Use --mqtt-version 3.1.1 for a broker without MQTT 5.'
        : 'See the broker log for why it refused the connection.',
    };
  }
  if (/certificate|SSL|TLS|EPROTO/i.test(text)) {
    return {
      reason: 'tls-failed',
      message: `TLS with the MQTT broker at ${where} failed: ${text}`,
      hint: 'Use mqtts:// only for a TLS listener (usually port 8883), and check that its certificate is trusted.',
    };
  }
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EPIPE|timeout|closed|Keepalive/i.test(text)) {
    return {
      reason: 'unreachable',
      message: `Cannot reach the MQTT broker at ${where}: ${text}`,
      hint: 'Check that the broker is running and that --mqtt points at it.',
    };
  }
  return { reason: 'internal', message: `MQTT source failed: ${text}`, hint: 'See the server log for details.' };
}
