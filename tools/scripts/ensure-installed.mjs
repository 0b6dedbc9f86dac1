// `npm start`, `npm test` and `npm run bench` work on a fresh clone: install the npm
// dependencies when node_modules is missing or older than the lockfile. Plain Node, no
// dependencies, because it runs before any are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { patchDependencies } from './patch-dependencies.mjs';

export function ensureInstalled(root) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh && existsSync(join(root, 'node_modules', 'node-rdkafka', 'build', 'Release'))) {
    // A checkout whose node_modules predate a fix gets it without a reinstall.
    for (const line of patchDependencies(root)) step(line);
    return;
  }
  step('installing npm dependencies (npm install; node-rdkafka compiles librdkafka, a few minutes on a cold machine)');
  const env = { ...process.env };
  // node-gyp must build against the installed Node's headers: this machine cannot download them.
  if (existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  // `npm install`, not `npm ci`: npm 11 leaves the other platforms' optional packages of
  // @swc/core out of a lockfile written here, and `npm ci` then refuses it as out of sync.
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error('npm install failed; see the output above');
    process.exit(result.status ?? 1);
  }
}

export function step(line) {
  process.stderr.write(`\x1b[36m==>\x1b[0m ${line}\n`);
}
