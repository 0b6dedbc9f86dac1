// One `npm start` as a user runs it, for a test file: on its own ports (FLOTILLA_PORT_OFFSET, 500
// above the test fleet's, where `npm test` cleans up after an interrupted run) and its own run
// directory. `stop` leaves nothing behind whatever the tests did, so call it from afterAll.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, platformRunDir, readPid, stopProcessesUnder, workspaceRoot } from '@flotilla/local-runtime';
import { testPlatform } from '@flotilla/testing';

export interface NpmStartPlatform {
  readonly offset: number;
  readonly runDir: string;
  readonly managementUrl: string;
  readonly temporalAddress: string;
  /** fronting-1's first broker. */
  readonly fronting1: string;
  /** The environment `npm start` got: what a command needs to act on this platform. */
  readonly env: NodeJS.ProcessEnv;
  /** The `npm start` process (npm itself, the leader of its own process group). */
  readonly npm: ChildProcess;
  /** Everything `npm start` printed so far. */
  output(): string;
  exited(): boolean;
  pidOf(component: string): number | undefined;
  /** Every process whose command line names the run directory: brokers, Temporal, the watchdog. */
  processesOfRunDir(): number[];
  /** The npm process group, then every pid file's process, then anything naming the run dir. */
  stop(): Promise<void>;
}

export function npmStartOffset(): number {
  return testPlatform().portOffset + 500;
}

/** Starts `npm start` (after clearing what an interrupted earlier run left) and waits until it is up. */
export async function startNpmPlatform(offset = npmStartOffset()): Promise<NpmStartPlatform> {
  const runDir = platformRunDir(offset);
  const env = { ...process.env, FLOTILLA_PORT_OFFSET: String(offset), FLOTILLA_KAFKA_HEAP_MB: '256' };
  await stopProcessesUnder(runDir, 5_000);
  rmSync(runDir, { recursive: true, force: true });

  let output = '';
  const npm = spawn('npm', ['start'], { cwd: workspaceRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  npm.stdout?.on('data', collect);
  npm.stderr?.on('data', collect);
  const exited = (): boolean => npm.exitCode !== null || npm.signalCode !== null;

  const processesOfRunDir = (): number[] =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(runDir);
        } catch {
          return false;
        }
      })
      .map(Number)
      .filter((pid) => pid !== process.pid && isAlive(pid));

  const platform: NpmStartPlatform = {
    offset,
    runDir,
    managementUrl: `http://127.0.0.1:${7480 + offset}`,
    temporalAddress: `127.0.0.1:${7233 + offset}`,
    fronting1: `127.0.0.1:${19092 + offset}`,
    env,
    npm,
    output: () => output,
    exited,
    pidOf: (component) => readPid(join(runDir, component, 'pid')),
    processesOfRunDir,
    async stop() {
      if (npm.pid !== undefined && !exited()) {
        process.kill(-npm.pid, 'SIGTERM');
        const deadline = Date.now() + 60_000;
        while (!exited() && Date.now() < deadline) await sleep(200);
        if (!exited()) process.kill(-npm.pid, 'SIGKILL');
      }
      await stopProcessesUnder(runDir, 5_000);
      for (const pid of processesOfRunDir()) process.kill(pid, 'SIGKILL');
    },
  };

  const deadline = Date.now() + 240_000;
  while (!output.includes('Flotilla is up')) {
    if (exited()) {
      await platform.stop();
      throw new Error(`npm start exited early:\n${output}`);
    }
    if (Date.now() > deadline) {
      await platform.stop();
      throw new Error(`npm start was not up within 240 s:\n${output}`);
    }
    await sleep(500);
  }
  return platform;
}
