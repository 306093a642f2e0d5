import type { SourceProblem } from '../contract.js';

/** A nats.js error as something a person can act on. `where` is host:port, never credentials. */
export function describeNatsError(err: unknown, where: string): SourceProblem {
  const e = err instanceof Error ? err : new Error(String(err));
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  const text = `${e.message}${cause}`.replace(/\/\/[^@/\s]*@/g, '//');
  if (/authoriz|authenticat|auth.*(violation|expired|required)|user.*(not found|revoked)/i.test(text)) {
    return {
      reason: 'auth-failed',
      message: `NATS at ${where} refused the credentials: ${text}`,
      hint: 'Check the user and password, the token or the creds file (--nats-creds, or the nats: entry of the config file).',
    };
  }
  if (/permissions? violation/i.test(text)) {
    return {
      reason: 'misconfigured',
      message: `NATS at ${where} does not allow what Flowscope reads: ${text}`,
      hint: "Flowscope's user needs subscribe on the tapped subjects and publish on $JS.API.> (stream and consumer info, reading messages, its own consumers).",
    };
  }
  if (/tls|certificate|ssl|EPROTO/i.test(text)) {
    return {
      reason: 'tls-failed',
      message: `TLS with NATS at ${where} failed: ${text}`,
      hint: 'Use tls:// only for a TLS server, and check that its certificate is trusted.',
    };
  }
  if (/refused|ECONNRESET|ENOTFOUND|EHOSTUNREACH|timeout|closed|disconnect|connect/i.test(text)) {
    return {
      reason: 'unreachable',
      message: `Cannot reach NATS at ${where}: ${text}`,
      hint: 'Check that nats-server is running and that --nats points at it.',
    };
  }
  return { reason: 'internal', message: `NATS source failed: ${text}`, hint: 'See the server log for details.' };
}

/** JetStream is off on the server (or for the account): core subjects are still tapped. */
export function jetStreamOff(where: string, err: unknown): SourceProblem {
  return {
    reason: 'misconfigured',
    message: `JetStream is not available at ${where}: ${err instanceof Error ? err.message : String(err)}`,
    hint: 'Only core subjects (--subjects) are tapped. Start nats-server with JetStream (-js) to see streams, history and consumers.',
  };
}
