// Where a running `npm start` can be found by other commands (`npm stop`, `npm run platform`,
// `npm run kafka`): its run directory, chosen by the port offset, holds `platform.json` (the
// supervisor's pid and addresses) and `control.sock`, the supervisor's control socket.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './managed-process';
import { stateDir } from './workspace-paths';

/** Linux hands out outgoing connections' source ports from 32768 up: fixed ports stay below. */
export const EPHEMERAL_PORT_START = 32_768;

/** The highest port `npm start` uses without an offset: consumer-1's controller. */
export const HIGHEST_PLATFORM_PORT = 19_342;

/**
 * `FLOTILLA_PORT_OFFSET` moves every port of `npm start` (Kafka, Temporal, management) so a
 * second platform, say a test's, runs beside a developer's; each offset has its own run dir.
 */
export function platformPortOffset(value: string | undefined = process.env['FLOTILLA_PORT_OFFSET']): number {
  if (value === undefined || value === '') return 0;
  const offset = Number(value);
  const limit = 65_535 - HIGHEST_PLATFORM_PORT;
  if (!Number.isInteger(offset) || offset < 0 || offset > limit) {
    throw new Error(`FLOTILLA_PORT_OFFSET must be an integer from 0 to ${limit}, got "${value}"`);
  }
  return offset;
}

/** Why an offset is risky, if it is: a port in the ephemeral range may be taken by chance. */
export function ephemeralPortWarning(offset: number): string | undefined {
  const highest = HIGHEST_PLATFORM_PORT + offset;
  if (highest < EPHEMERAL_PORT_START) return undefined;
  return `port offset ${offset} puts ports up to ${highest} in Linux's ephemeral range (from ${EPHEMERAL_PORT_START}), where an outgoing connection may hold one; offsets up to ${EPHEMERAL_PORT_START - 1 - HIGHEST_PLATFORM_PORT} avoid it`;
}

export function platformRunDir(offset = platformPortOffset()): string {
  return stateDir(offset === 0 ? 'run' : `run-${offset}`);
}

export interface PlatformState {
  /** The supervisor: SIGTERM to it stops the platform. */
  pid: number;
  portOffset: number;
  managementUrl: string;
  startedAt: string;
}

const stateFile = (runDir: string): string => join(runDir, 'platform.json');
export const controlSocketPath = (runDir: string): string => join(runDir, 'control.sock');

/** The platform running from `runDir`, or undefined when none is (a stale file is ignored). */
export function runningPlatform(runDir: string): PlatformState | undefined {
  if (!existsSync(stateFile(runDir))) return undefined;
  try {
    const state = JSON.parse(readFileSync(stateFile(runDir), 'utf8')) as PlatformState;
    return Number.isInteger(state.pid) && isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Records this process as the platform of `runDir`; refuses when another one runs there. */
export function claimRunDir(runDir: string, state: PlatformState): void {
  const other = runningPlatform(runDir);
  if (other && other.pid !== state.pid) {
    throw new Error(`a platform is already running from ${runDir} (pid ${other.pid}, ${other.managementUrl}); \`npm stop\` stops it`);
  }
  mkdirSync(runDir, { recursive: true });
  rmSync(controlSocketPath(runDir), { force: true });
  writeFileSync(stateFile(runDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function releaseRunDir(runDir: string): void {
  rmSync(stateFile(runDir), { force: true });
  rmSync(controlSocketPath(runDir), { force: true });
}
