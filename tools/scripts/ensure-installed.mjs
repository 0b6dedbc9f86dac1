// `npm start`, `npm test` and `npm run bench` work on a fresh clone: install the npm
// dependencies when node_modules is missing or older than the lockfile (npm install's
// postinstall then applies patches/ with patch-package). Plain Node, no dependencies, because it
// runs before any are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function ensureInstalled(root) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  const patchPackage = join(root, 'node_modules', 'patch-package', 'index.js');
  if (fresh && existsSync(patchPackage) && existsSync(join(root, 'node_modules', 'node-rdkafka', 'build', 'Release'))) {
    // A checkout whose node_modules predate a patch gets it without a reinstall; patch-package
    // skips what is applied already. A patch that no longer applies is said, not fatal: the
    // dependency works unpatched, only slower.
    const patched = spawnSync(process.execPath, [patchPackage, '--error-on-fail'], { cwd: root, encoding: 'utf8' });
    if (patched.status !== 0) step(`patch-package failed; node_modules stays unpatched:\n${patched.stdout}${patched.stderr}`);
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
