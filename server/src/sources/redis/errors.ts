import type { SourceProblem } from '../contract.js';

/** A node-redis error as something a person can act on. `where` is host:port, never credentials. */
export function describeRedisError(err: unknown, where: string): SourceProblem {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\/\/[^@/\s]*@/g, '//');
  if (/WRONGPASS|NOAUTH|invalid password|AUTH/i.test(text)) {
    return {
      reason: 'auth-failed',
      message: `Redis at ${where} refused the credentials: ${text}`,
      hint: 'Check the user name and password (the password of a redis: entry, or in the URL given to --redis).',
    };
  }
  if (/NOPERM/i.test(text)) {
    return {
      reason: 'misconfigured',
      message: `Redis at ${where} does not allow a command Flowscope needs: ${text}`,
      hint: "Flowscope's user needs +xread +xinfo +scan +type (all reads) on the tapped keys.",
    };
  }
  if (/^(MOVED|ASK|CLUSTERDOWN|CROSSSLOT)\b/.test(text)) {
    return {
      reason: 'misconfigured',
      message: `Redis at ${where} is a node of a Redis Cluster, which Flowscope does not read yet: ${text}`,
      hint: 'Point --redis at a standalone server or a replica of one; cluster support (one reader per shard) is planned.',
    };
  }
  if (/certificate|SSL|TLS|EPROTO/i.test(text)) {
    return {
      reason: 'tls-failed',
      message: `TLS with Redis at ${where} failed: ${text}`,
      hint: 'Use rediss:// only for a TLS port, and check that its certificate is trusted.',
    };
  }
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|timeout|closed|Socket|connect/i.test(text)) {
    return {
      reason: 'unreachable',
      message: `Cannot reach Redis at ${where}: ${text}`,
      hint: 'Check that Redis is running and that --redis points at it.',
    };
  }
  return { reason: 'internal', message: `Redis source failed: ${text}`, hint: 'See the server log for details.' };
}
