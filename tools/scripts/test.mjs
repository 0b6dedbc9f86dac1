#!/usr/bin/env node
// `npm test`: everything a change must pass, on a fresh clone as on a warm one. Installs
// what is missing, then lint, typecheck, unit tests, and integration tests against real
// Kafka clusters, a real Temporal server and real databases. Ends with one summary line
// ("tests: N passed, N failed, N skipped") and stops every server it started, also on failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled, step } from './ensure-installed.mjs';
import { stopLeftovers } from './stop-leftovers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const reports = join(root, '.flotilla', 'reports');
// Same rule as tools/vitest/src/global-setup.ts: a run on other ports keeps its own state.
const portOffset = Number(process.env.FLOTILLA_TEST_PORT_OFFSET ?? 10_000);
const testRunDir = join(root, '.flotilla', portOffset === 10_000 ? 'test-run' : `test-run-${portOffset}`);
// e2e/platform's tests (npm-start-platform.ts) each run an `npm start` 500 ports above the test fleet.
const npmStartTestRunDir = join(root, '.flotilla', `run-${portOffset + 500}`);
const only = process.argv.slice(2); // e.g. `npm test -- unit` runs just that stage
const started = Date.now();
let child;

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env } });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    child?.kill(sig);
    await Promise.all([stopLeftovers(testRunDir), stopLeftovers(npmStartTestRunDir)]);
    process.exit(130);
  });
}

const stages = [
  { name: 'prepare', what: 'fetching Kafka and Temporal into .cache (skipped when present)', cmd: [bin('tsx'), ['tools/scripts/prepare.ts']] },
  { name: 'lint', what: 'lint (eslint + Nx module boundaries)', cmd: ['sh', ['-c', `"${bin('nx')}" show projects >/dev/null && "${bin('eslint')}" .`]] },
  { name: 'typecheck', what: 'typecheck (tsc, strict)', cmd: [bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']] },
  { name: 'unit', what: 'unit tests', vitest: 'unit' },
  { name: 'int', what: 'integration tests on real Kafka, Temporal and databases', vitest: 'int' },
];

ensureInstalled(root);
// Summaries come from this run's reports only.
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const failures = [];
for (const stage of stages) {
  if (only.length > 0 && !only.includes(stage.name)) continue;
  step(stage.what);
  const t0 = Date.now();
  let code;
  if (stage.vitest) {
    const report = join(reports, `${stage.vitest}.json`);
    rmSync(report, { force: true });
    code = await run(bin('vitest'), ['run', '--project', stage.vitest, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
    if (stage.vitest === 'int') {
      const stopped = (await stopLeftovers(testRunDir)) + (await stopLeftovers(npmStartTestRunDir));
      if (stopped > 0) step(`stopped ${stopped} server process(es) the integration run left behind`);
    }
  } else {
    code = await run(...stage.cmd);
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (code !== 0) {
    failures.push(stage.name);
    step(`${stage.name} FAILED (exit ${code}, ${seconds} s)`);
    if (stage.name === 'prepare' || stage.name === 'lint' || stage.name === 'typecheck') break;
  } else step(`${stage.name} passed in ${seconds} s`);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const project of ['unit', 'int']) {
  const report = join(reports, `${project}.json`);
  if (!existsSync(report)) continue;
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests ?? 0;
  failed += result.numFailedTests ?? 0;
  skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  // A file that failed before running any test (an import error, a failing hook) counts once.
  for (const file of result.testResults ?? []) {
    if (file.status === 'failed' && !file.assertionResults?.some((a) => a.status === 'failed')) failed += 1;
  }
}
// Stages without tests of their own (lint, typecheck) count as one failure each.
failed += failures.filter((name) => name !== 'unit' && name !== 'int').length;
step(`finished in ${((Date.now() - started) / 1000).toFixed(0)} s${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length === 0 && failed === 0 ? 0 : 1);
