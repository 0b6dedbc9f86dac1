// The READMEs' shell examples, run as written on `npm start`'s fleet (a doc test): every line
// of every ```sh block in README.md and the projects' READMEs, in README order, against one
// `npm start` of this file's own (FLOTILLA_PORT_OFFSET, its own run directory), with
// FLOTILLA_URL and FLOTILLA_TOKEN set as "Operating the platform" says. A line exits 0 unless
// the table below says otherwise; a line that cannot run as written is in that table with why.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, stateDir, stopProcessesUnder, workspaceRoot } from '@flotilla/local-runtime';
import { npmStartOffset, startNpmPlatform, type NpmStartPlatform } from './npm-start-platform';

interface Example {
  /** README path relative to the workspace root, and the line the command is on. */
  where: string;
  /** The command as written, without its `# comment`. */
  command: string;
}

/** How a line that cannot run as written is handled: each says why. */
type Exception =
  | { skip: string }
  | { runLast: string }
  | { instead: string[]; why: string }
  | { exitCode: number; output: RegExp; why: string };

const offset = npmStartOffset();
/** `npm run kafka -- start` puts clusters in .flotilla/manual, shared with a developer's own. */
const scratch = `doc-scratch-${offset}`;
/** Where the `certs issue` line writes its files: this run's, outside the work tree. */
const certsDir = join(tmpdir(), `doc-certs-${offset}-${process.pid}`);

// Placeholders filled from an earlier line's output: <id> is the operation the README's
// `topics move orders` started, so the `operations` lines act on a real operation.
const placeholders = new Map<string, string>();
const captures: Record<string, (stdout: string) => void> = {
  'npx flotilla topics move orders --to fronting-2': (stdout) => {
    const id = /\(operation (\S+)\)/.exec(stdout)?.[1];
    if (id) placeholders.set('<id>', id);
  },
};

/** README.md's `route.json`, the document shown above `flotilla routes add route.json`. */
const readmeRoute = JSON.stringify({
  name: 'clicks-eu',
  source: 'clicks',
  destinations: [{ topic: 'clicks-eu' }],
  steps: [{ filter: "value.region = 'eu'" }, { project: { keep: ['id', 'region', 'url'] } }],
});

const exceptions: Record<string, Exception> = {
  'npm start': { skip: 'started by beforeAll, as written (with FLOTILLA_PORT_OFFSET): every other line runs against it' },
  'npm test': { skip: 'the test suite this test is part of: it would run itself' },
  'npm stop': { runLast: 'it stops the platform every later line needs: it runs after them, and must leave nothing running' },
  'npm run kafka -- start scratch --brokers 3': {
    instead: [`npm run kafka -- start ${scratch} --brokers 3`, `npm run kafka -- stop ${scratch}`],
    why: `.flotilla/manual is shared with a developer's own clusters, one of which may be called scratch: a name of this run's, stopped and removed after`,
  },
  'npx flotilla operations list | status <id> | pause <id> | resume <id> | abort <id> | release <id>': {
    instead: ['list', 'status', 'pause', 'resume', 'abort', 'release', 'status'].map((c) => `npx flotilla operations ${c}${c === 'list' ? '' : ' <id>'}`),
    why: 'a synopsis of six commands: each runs on the `topics move orders` operation (<id>), then its status shows what they did',
  },
  'npx flotilla mapping show | history | diff 3 7': {
    instead: ['npx flotilla mapping show', 'npx flotilla mapping history', 'npx flotilla mapping diff 3 7'],
    why: 'a synopsis of three commands',
  },
  'npx flotilla certs issue billing --out ./billing-certs': {
    instead: [`npx flotilla certs issue billing --out ${certsDir}`, `rm -r ${certsDir}`],
    why: 'it writes a key and certificates, and never over existing ones: into a directory of this run\'s outside the work tree, removed after',
  },
  'npx flotilla routes add route.json': {
    instead: [`npx flotilla routes add - <<< '${readmeRoute.replaceAll("'", "'\\''")}'`],
    why: 'route.json is the document the README shows above the line: the same route on standard input (`-`), so the run writes no file into the work tree',
  },
  'npm run db:migrate': {
    exitCode: 1,
    output: /is in use by process \d+/,
    why: 'as the README says: while npm start runs, management holds its PGlite directory (and applied the migrations when it started)',
  },
  'DATABASE_URL=postgres://user:pass@host:5432/flotilla npm run db:migrate': {
    skip: 'a placeholder PostgreSQL URL; migrations on PostgreSQL run in the database suite when FLOTILLA_TEST_DATABASE_URL is set',
  },
  'npx drizzle-kit generate --config libs/db/drizzle.config.ts --name <what-changed>': {
    skip: 'a step of changing the schema: it writes a migration into the source tree',
  },
  'export "$(sudo tools/ci/postgres.sh)"': { skip: "CI's PostgreSQL install: needs root and installs Debian packages" },
  'npx vitest run --project int libs/db': { skip: 'a part of the test suite this test is part of' },
};

/** The command part of a line: everything before a `#` that starts a comment (outside quotes). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i).trim();
    }
  }
  return line.trim();
}

function readmes(): string[] {
  const nested = ['apps', 'libs', 'tools'].flatMap((dir) =>
    readdirSync(join(workspaceRoot, dir))
      .map((project) => join(workspaceRoot, dir, project, 'README.md'))
      .filter((file) => existsSync(file)),
  );
  return [join(workspaceRoot, 'README.md'), ...nested.sort()];
}

function shellExamples(): Example[] {
  const examples: Example[] = [];
  for (const file of readmes()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let inSh = false;
    lines.forEach((line, index) => {
      if (/^```/.test(line)) {
        inSh = !inSh && /^```(sh|bash|shell|console)\s*$/.test(line);
        return;
      }
      const command = inSh ? withoutComment(line) : '';
      if (command !== '') examples.push({ where: `${relative(workspaceRoot, file)}:${index + 1}`, command });
    });
  }
  return examples;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let platform: NpmStartPlatform | undefined;

function commandEnv(): NodeJS.ProcessEnv {
  if (!platform) throw new Error('npm start did not start (see beforeAll)');
  return {
    ...platform.env,
    FLOTILLA_URL: platform.managementUrl,
    FLOTILLA_TOKEN: readFileSync(join(platform.runDir, 'admin-token'), 'utf8').trim(),
  };
}

function runLine(command: string): Promise<Result> {
  const filled = [...placeholders].reduce((line, [name, value]) => line.replaceAll(name, value), command);
  if (/<[a-z-]+>/.test(filled)) throw new Error(`no value for a placeholder in: ${filled}`);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', filled], { cwd: workspaceRoot, env: commandEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function expectRuns(command: string, exitCode = 0): Promise<Result> {
  const result = await runLine(command);
  expect(result.code, `\`${command}\` exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(exitCode);
  captures[command]?.(result.stdout);
  return result;
}

const examples = shellExamples();
const last: Example[] = [];

/** The cluster the `kafka -- start` line started (or an interrupted earlier run left) goes. */
async function removeScratch(): Promise<void> {
  const scratchDir = join(stateDir('manual'), scratch);
  await stopProcessesUnder(scratchDir, 5_000);
  rmSync(scratchDir, { recursive: true, force: true });
}

beforeAll(async () => {
  await removeScratch();
  platform = await startNpmPlatform(offset);
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  await removeScratch();
}, 120_000);

describe('the READMEs’ shell examples', () => {
  it('are found, and every exception names a line that is still in a README', () => {
    expect(examples.length).toBeGreaterThan(20);
    const written = new Set(examples.map((e) => e.command));
    expect(Object.keys(exceptions).filter((command) => !written.has(command))).toEqual([]);
  });

  for (const example of examples) {
    const exception = exceptions[example.command];
    const title = `${example.where}: ${example.command}`;
    if (exception && 'skip' in exception) {
      it.skip(`${title} (not run: ${exception.skip})`, () => {});
    } else if (exception && 'runLast' in exception) {
      last.push(example);
    } else if (exception && 'instead' in exception) {
      it(`${title} (runs as ${exception.instead.join('; ')}: ${exception.why})`, async () => {
        for (const command of exception.instead) await expectRuns(command);
      }, 600_000);
    } else if (exception && 'exitCode' in exception) {
      it(`${title} (exits ${exception.exitCode}: ${exception.why})`, async () => {
        const { stdout, stderr } = await expectRuns(example.command, exception.exitCode);
        expect(stdout + stderr).toMatch(exception.output);
      }, 180_000);
    } else {
      it(title, async () => {
        await expectRuns(example.command);
      }, 180_000);
    }
  }

  it(`then ${last.map((e) => `${e.where}: ${e.command}`).join(', ')} (${last.map((e) => (exceptions[e.command] as { runLast: string }).runLast).join('; ')})`, async () => {
    const { runDir, exited, processesOfRunDir, pidOf } = platform!;
    const apps = [pidOf('management'), pidOf('worker')];
    for (const example of last) await expectRuns(example.command);
    // `npm stop` returns when everything is down.
    expect(processesOfRunDir()).toEqual([]);
    expect(apps.filter((pid) => pid !== undefined && isAlive(pid))).toEqual([]);
    expect(existsSync(join(runDir, 'platform.json'))).toBe(false);
    await expect.poll(exited, { timeout: 10_000 }).toBe(true);
  }, 180_000);
});
