// One root logger per process; parts take `logger.child({ component })`. Secrets that pass
// through config or requests are redacted by path, so a log line never carries a token.
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /** Defaults to stdout; tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

const REDACT = ['token', 'password', 'apiToken', '*.token', '*.password', '*.apiToken', 'headers.authorization', 'req.headers.authorization'];

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.service,
      level: options.level ?? 'info',
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}
