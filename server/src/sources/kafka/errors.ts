import type { SourceProblem } from '../contract.js';

/** Turns a kafkajs error into something a person can act on. Never includes credentials. */
export function describeKafkaError(err: unknown, brokers: readonly string[]): SourceProblem {
  const name = err instanceof Error ? err.name : 'Error';
  const text = err instanceof Error ? err.message : String(err);
  const where = brokers.join(',');
  if (/SASL|authenticat/i.test(name + text)) {
    return {
      reason: 'auth-failed',
      message: `Kafka at ${where} refused the credentials: ${text}`,
      hint: 'Check the SASL mechanism, user name and password for this cluster.',
    };
  }
  if (/certificate|SSL|TLS|EPROTO|handshake/i.test(text)) {
    return {
      reason: 'tls-failed',
      message: `TLS with Kafka at ${where} failed: ${text}`,
      hint: /self[- ]signed|unable to (get|verify)|issuer/i.test(text)
        ? "The broker's certificate is not trusted: set ssl.ca to the CA (PEM) that signed it."
        : 'Check that this listener speaks TLS (ssl) and that the certificate matches the broker address.',
    };
  }
  if (/Connection|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|timeout|NumberOfRetriesExceeded|broker/i.test(name + text)) {
    return {
      reason: 'unreachable',
      message: `Cannot reach Kafka at ${where}: ${text}`,
      hint: 'Check that the broker is running and that --kafka points at it.',
    };
  }
  return { reason: 'internal', message: `Kafka source failed: ${text}`, hint: 'See the server log for details.' };
}

/** The configuration cannot be used safely; retrying will not help. */
export class GroupInUseError extends Error {
  constructor(readonly problem: SourceProblem) {
    super(problem.message);
    this.name = 'GroupInUseError';
  }
}
