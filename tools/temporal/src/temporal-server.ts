// `temporal server start-dev` on loopback with a SQLite file: a real Temporal server
// (frontend, history, matching, the web UI) in one process.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { killProcess, readPid, isAlive, startProcess, stopProcess, StopWaiting, tailFile, waitFor, type ProcessExit } from '@flotilla/local-runtime';
import { ensureTemporalCli, temporalBinary } from './temporal-cli';

export interface TemporalServerOptions {
  /** gRPC frontend port. */
  port: number;
  /** Web UI port; omit to run headless (tests). */
  uiPort?: number;
  runDir: string;
  namespace?: string;
  readyTimeoutMs?: number;
  /** Told when the server process exits (a supervisor restarts it). */
  onExit?: (exit: ProcessExit) => void;
}

export interface TemporalServer {
  readonly address: string;
  readonly uiUrl: string | undefined;
  readonly namespace: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
  isRunning(): boolean;
  /** The server's pid while it runs. */
  pid(): number | undefined;
  logTail(lines?: number): string;
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  await ensureTemporalCli();
  const dir = join(options.runDir, 'temporal');
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'pid');
  const logFile = join(dir, 'server.log');
  const namespace = options.namespace ?? 'default';
  await stopProcess(pidFile);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--db-filename',
    join(dir, 'temporal.sqlite'),
    '--namespace',
    namespace,
  ];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort));
  startProcess({ command: temporalBinary, args, logFile, pidFile, ...(options.onExit ? { onExit: options.onExit } : {}) });
  const address = `127.0.0.1:${options.port}`;
  const server: TemporalServer = {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`,
    namespace,
    stop: () => stopProcess(pidFile, 15_000),
    kill: () => killProcess(pidFile),
    isRunning: () => {
      const pid = readPid(pidFile);
      return pid !== undefined && isAlive(pid);
    },
    pid: () => readPid(pidFile),
    logTail: (lines = 40) => tailFile(logFile, lines),
  };
  try {
    await waitFor(
      async () => {
        const pid = readPid(pidFile);
        if (pid === undefined || !isAlive(pid)) throw new StopWaiting('the Temporal server process exited');
        const connection = await Connection.connect({ address, connectTimeout: 1_000 });
        try {
          // The frontend answers before the namespace exists; wait for the namespace.
          await connection.workflowService.describeNamespace({ namespace });
          return true;
        } finally {
          await connection.close();
        }
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 300, what: `Temporal at ${address}` },
    );
  } catch (error) {
    await server.stop();
    throw new Error(`Temporal dev server did not start: ${(error as Error).message}\n${server.logTail(30)}`, { cause: error });
  }
  return server;
}
