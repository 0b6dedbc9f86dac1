// One of this repository's apps (`apps/<app>/src/main.ts`) as a child process of a benchmark,
// on the caller's cleanup stack from the moment it is spawned, so an interrupt or a failure
// never leaves it running: stopped with SIGTERM (in-flight work finishes, a --cpu-prof profile
// is written on the way out), SIGKILL once its grace period has passed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { workspaceRoot } from '@flotilla/local-runtime';
import type { CleanupStack } from './cleanup-stack';

export interface AppProcessOptions {
  /** The folder under apps/. */
  app: string;
  /** Node flags before `--import tsx`, e.g. `--cpu-prof`. */
  nodeFlags?: readonly string[];
  /** Added to this process's environment. */
  env: Readonly<Record<string, string>>;
  stopGraceMs: number;
  cleanup: CleanupStack;
}

export interface AppProcess {
  readonly pid: number;
  /** Whether it has exited (it should run until stopped). */
  exited(): boolean;
}

export function spawnApp(options: AppProcessOptions): AppProcess {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', join(workspaceRoot, 'apps', options.app, 'src', 'main.ts')], {
    cwd: workspaceRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  options.cleanup.push(options.app, async () => {
    if (exited()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.stopGraceMs);
    await gone;
    clearTimeout(timer);
  });
  if (child.pid === undefined) throw new Error(`could not start apps/${options.app}`);
  return { pid: child.pid, exited };
}

/** Waits until `url` answers 2xx; fails when the app exits first or `timeoutMs` passes. */
export async function waitUntilReady(app: AppProcess, name: string, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (app.exited()) throw new Error(`the ${name} exited before it was ready`);
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`the ${name} was not ready at ${url} within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}
