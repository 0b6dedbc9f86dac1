// CPU time a process has used so far, all its threads (user + system), from /proc/<pid>/stat:
// how the router bench charges each copier for the records it moved. Linux only.
import { readFileSync } from 'node:fs';
import { runCommand } from '@flotilla/local-runtime';

let ticksPerSecond: number | undefined;

/** The kernel's clock tick (`getconf CLK_TCK`, 100 almost everywhere), read once. */
export async function clockTicksPerSecond(): Promise<number> {
  ticksPerSecond ??= Number((await runCommand('getconf', ['CLK_TCK'])).trim()) || 100;
  return ticksPerSecond;
}

/**
 * Seconds of CPU `pid` has used, its threads included (utime + stime, fields 14 and 15). The
 * command name (field 2) may hold spaces and parentheses, so fields are counted after its last ")".
 * Call `clockTicksPerSecond()` once first.
 */
export function processCpuSeconds(pid: number): number {
  if (ticksPerSecond === undefined) throw new Error('processCpuSeconds: call clockTicksPerSecond() first');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc/${pid}/stat: ${stat.slice(0, 200)}`);
  return (utime + stime) / ticksPerSecond;
}
