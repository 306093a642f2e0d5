import { pino, type Logger } from 'pino';

/**
 * The server's one logger. Secrets never reach it: config objects are logged only through
 * `describeSources`, and `redact` guards the usual credential field names as a second line.
 */
export const rootLogger: Logger = pino({
  name: 'flowscope',
  level: process.env.FLOWSCOPE_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  redact: {
    paths: ['*.password', '*.sasl', '*.token', '*.key', '*.cert', 'token', 'password'],
    censor: '[redacted]',
  },
});

/** A child logger for one part of the server, e.g. `logger('kafka')`. */
export const logger = (name: string): Logger => rootLogger.child({ module: name });
