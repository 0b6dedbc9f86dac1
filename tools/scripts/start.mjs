#!/usr/bin/env node
// `npm start`: installs what is missing, then hands over to the platform supervisor.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
ensureInstalled(root);
// `node --import tsx` rather than the tsx CLI: the CLI's own signal relay kills its child on a
// second SIGINT, which a terminal's Ctrl-C plus our forwarding would trigger mid-shutdown.
const child = spawn(process.execPath, ['--import', 'tsx', 'tools/scripts/start-platform.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// The supervisor handles Ctrl-C itself (it stops everything in order); wait for it.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('close', (code) => process.exit(code ?? 0));
