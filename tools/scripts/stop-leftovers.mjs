// Stops every server a run left under a .flotilla/<run> directory (each writes a `pid` file
// next to its data): after the tests, whatever happened to them, and before the next run.
// The same signalling as tools/local-runtime's managed-process.ts, restated in plain Node:
// npm test calls this from an .mjs script, outside tsx.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function pidFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'pid') return [path];
    return statSync(path).isDirectory() ? pidFiles(path) : [];
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

function signal(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // gone
    }
  }
}

export async function stopLeftovers(runDir) {
  const files = pidFiles(runDir);
  const pids = files.map((f) => Number.parseInt(readFileSync(f, 'utf8'), 10)).filter((pid) => pid > 0 && alive(pid));
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(200);
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
  for (const f of files) rmSync(f, { force: true });
  return pids.length;
}
