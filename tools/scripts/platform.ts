// `npm run platform -- status | restart <component> | stop` and `npm stop`: talk to the
// running `npm start` (its supervisor) from another terminal, through the run directory
// (FLOTILLA_PORT_OFFSET selects which platform, as for `npm start`).
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, platformRunDir, runningPlatform, sendControl, type ComponentStatus } from '@flotilla/local-runtime';

const USAGE = 'usage: npm run platform -- status | restart <management|worker|router|proxy|temporal|cluster-name> | stop';
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function age(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

function table(components: readonly ComponentStatus[]): void {
  const rows = [
    ['component', 'state', 'for', 'restarts', 'pid', 'address', ''],
    ...components.map((c) => [c.name, c.state, age(c.since), String(c.restarts), c.pids.join(',') || '-', c.address, c.note ?? '']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) out(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  const [command, name] = positionals;
  const runDir = platformRunDir();
  const platform = runningPlatform(runDir);
  switch (command) {
    case 'status': {
      if (!platform) {
        out(`no platform running from ${runDir} (\`npm start\` starts it)`);
        return 1;
      }
      const response = await sendControl(runDir, { cmd: 'status' }, 10_000);
      if (!response.ok) throw new Error(response.error);
      out(`platform pid ${platform.pid}, management ${platform.managementUrl}, up since ${platform.startedAt}`);
      table(response.components ?? []);
      return 0;
    }
    case 'restart': {
      if (!name) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      if (!platform) throw new Error(`no platform running from ${runDir}; \`npm start\` starts all of it`);
      out(`restarting ${name}…`);
      const response = await sendControl(runDir, { cmd: 'restart', name });
      if (!response.ok) throw new Error(response.error);
      out(response.message ?? `${name} restarted`);
      return 0;
    }
    case 'stop': {
      if (!platform) {
        out(`no platform running from ${runDir}`);
        return 0;
      }
      out(`stopping the platform (pid ${platform.pid})…`);
      process.kill(platform.pid, 'SIGTERM');
      const deadline = Date.now() + 120_000;
      while (isAlive(platform.pid)) {
        if (Date.now() > deadline) throw new Error(`the platform (pid ${platform.pid}) is still stopping after 120 s; its output says why`);
        await sleep(200);
      }
      out('stopped');
      return 0;
    }
    default:
      (command ? process.stderr : process.stdout).write(`${USAGE}\n`);
      return command ? 2 : 0;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`platform: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
