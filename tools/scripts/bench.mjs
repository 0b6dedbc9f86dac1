#!/usr/bin/env node
// `npm run bench -- <scenario>`: runs bench/<scenario>.bench.ts with tsx. Benchmarks start
// their own clusters and print a table of ratios against a peer measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarios = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const [scenario, ...rest] = process.argv.slice(2);
if (!scenario || !scenarios.includes(scenario)) {
  console.error(`usage: npm run bench -- <scenario> [options]\nscenarios: ${scenarios.join(', ') || '(none yet)'}`);
  process.exit(scenario ? 2 : 0);
}
ensureInstalled(root);
const file = join(root, 'bench', `${scenario}.bench.ts`);
if (!existsSync(file)) process.exit(2);
const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [file, ...rest], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
