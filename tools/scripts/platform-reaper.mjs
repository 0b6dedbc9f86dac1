#!/usr/bin/env node
// The watchdog of `npm start` (tools/scripts/start-platform.ts), started by it as a detached
// process with a pipe on its stdin. When the supervisor dies without stopping the platform
// (kill -9, a crash), the pipe closes and this process stops every server and app that left a
// pid file in the run directory. SIGTERM or SIGINT to it stops the platform too, through the
// supervisor. Plain Node, so it starts fast and needs nothing loaded.
//   node platform-reaper.mjs <runDir> <supervisorPid>
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopLeftovers } from './stop-leftovers.mjs';

const [runDir, supervisorArg] = process.argv.slice(2);
const supervisorPid = Number(supervisorArg);
const stateFile = join(runDir, 'platform.json');

process.stderr.on('error', () => {});
const say = (line) => process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);

/** The run directory still names our supervisor: it did not stop the platform itself. */
function stillClaimed() {
  if (!existsSync(stateFile)) return false;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')).pid === supervisorPid;
  } catch {
    return false;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let reaping = false;
async function reap() {
  if (reaping) return;
  reaping = true;
  // A clean stop releases the run directory before the supervisor exits; a newer `npm start`
  // claims it with another pid. Either way there is nothing of ours left to stop.
  if (!stillClaimed()) process.exit(0);
  const stopped = await stopLeftovers(runDir);
  if (stillClaimed()) {
    rmSync(stateFile, { force: true });
    rmSync(join(runDir, 'control.sock'), { force: true });
  }
  say(`npm start (pid ${supervisorPid}) died; stopped the ${stopped} process(es) it left running`);
  process.exit(0);
}

process.stdin.on('error', () => {});
process.stdin.on('close', () => void reap());
process.stdin.on('end', () => void reap());
process.stdin.resume();

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    // The supervisor stops everything in order; the pipe closing then ends this process.
    if (alive(supervisorPid)) process.kill(supervisorPid, 'SIGTERM');
    else void reap();
  });
}
