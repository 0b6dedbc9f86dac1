// One root logger per process; parts take `logger.child({ component })`. Secrets that pass
// through config or requests are redacted by path, so a log line never carries a token.
// JSON lines for machines and files; one readable line per entry when stdout is a terminal.
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /** Defaults to stdout; tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
  /** Human-readable lines instead of JSON; by default when logging to stdout and it is a terminal. */
  pretty?: boolean;
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
    destinationOf(options),
  );
}

function destinationOf(options: LoggerOptions): NodeJS.WritableStream {
  const destination = options.destination ?? process.stdout;
  const readable = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  if (!readable) return destination;
  // A stream in this thread, not a transport worker: logs are a few lines a second, and a
  // synchronous stream loses nothing when the process exits right after logging.
  return pretty({
    destination,
    sync: true,
    colorize: options.destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,name,component',
    singleLine: true,
    messageFormat: '{service}{if component}/{component}{end}: {msg}',
  });
}
