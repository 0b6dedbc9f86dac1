// Long-running server processes (Kafka brokers, the Temporal dev server) started with their
// output in a log file and their pid in a pid file, so that any process — a test worker,
// the global teardown, a later run cleaning up after a crash — can stop or kill them.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartProcessOptions {
  command: string;
  args: readonly string[];
  logFile: string;
  pidFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Called when the process exits, as long as the starting process lives: a supervisor learns
   * at once how a server ended (crash or signal) instead of finding its pid gone later.
   */
  onExit?: (exit: ProcessExit) => void;
}

export interface ProcessExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function startProcess(options: StartProcessOptions): number {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', out, out],
      // Own process group: a Ctrl-C in the terminal reaches our shutdown handler, which stops
      // servers in order, instead of every JVM at once.
      detached: true,
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${options.command}`);
    const onExit = options.onExit;
    if (onExit) child.once('exit', (code, signal) => onExit({ pid, code, signal }));
    child.unref();
    writeFileSync(options.pidFile, String(pid));
    return pid;
  } finally {
    closeSync(out);
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    // Negative pid: the whole process group, so helpers a server forked go too.
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
export async function stopProcess(pidFile: string, graceMs = 20_000): Promise<void> {
  const pid = readPid(pidFile);
  if (pid === undefined) return;
  if (isAlive(pid)) {
    signal(pid, 'SIGTERM');
    if (!(await waitForExit(pid, graceMs))) {
      signal(pid, 'SIGKILL');
      await waitForExit(pid, 10_000);
    }
  }
  rmSync(pidFile, { force: true });
}

/**
 * Stops every process that left a `pid` file anywhere under `dir` (servers and apps of a run
 * that crashed or was killed), all at once. Resolves with how many were still running.
 */
export async function stopProcessesUnder(dir: string, graceMs = 20_000): Promise<number> {
  const files = pidFilesUnder(dir);
  const running = files.filter((file) => {
    const pid = readPid(file);
    return pid !== undefined && isAlive(pid);
  });
  await Promise.all(files.map((file) => stopProcess(file, graceMs)));
  return running.length;
}

function pidFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pidFilesUnder(path);
    return entry.name === 'pid' ? [path] : [];
  });
}

/** SIGKILL at once: the fault that tests inject ("kill -9"). */
export async function killProcess(pidFile: string): Promise<void> {
  const pid = readPid(pidFile);
  if (pid === undefined) return;
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 10_000);
  rmSync(pidFile, { force: true });
}

/** The last lines of a log file, for error messages and failing tests. */
export function tailFile(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const size = statSync(file).size;
  const text = readFileSync(file, 'utf8').slice(Math.max(0, size - 64 * 1024));
  return text.split('\n').slice(-lines).join('\n');
}
