// PGlite is PostgreSQL in one process with no postmaster to arbitrate: two processes (say the
// management app and `npm run db:migrate`) opening one data directory both write it and corrupt
// it. A lock file beside the directory, holding the owner's pid, turns that into a clear error.
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { UnavailableError } from '@flotilla/errors';

export type ReleaseLock = () => Promise<void>;

export async function lockPgliteDataDir(dataDir: string): Promise<ReleaseLock> {
  const lockPath = `${dataDir}.lock`;
  const staged = `${lockPath}.${process.pid}`;
  // The pid is written before the lock appears (link is atomic and fails if the lock exists),
  // so a reader never sees an empty lock and mistakes a live owner for a dead one.
  await writeFile(staged, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await link(staged, lockPath);
        return async () => {
          await rm(lockPath, { force: true });
        };
      } catch (error: unknown) {
        if (!isErrnoException(error) || error.code !== 'EEXIST') throw error;
      }
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (owner === process.pid) {
        throw new UnavailableError(
          `PGlite data directory ${dataDir} is already open in this process; close that handle first`,
        );
      }
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new UnavailableError(
          `PGlite data directory ${dataDir} is in use by process ${owner}; PGlite serves one process ` +
            'at a time (stop that process, or share a PostgreSQL database through DATABASE_URL)',
        );
      }
      // Left behind by a process that died without closing; its data directory is intact.
      await rm(lockPath, { force: true });
    }
    throw new UnavailableError(`could not lock PGlite data directory ${dataDir} (${lockPath} keeps reappearing)`);
  } finally {
    await rm(staged, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    // EPERM: the process exists but belongs to another user.
    return isErrnoException(error) && error.code === 'EPERM';
  }
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
