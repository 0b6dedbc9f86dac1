#!/usr/bin/env node
// `npm start`: installs what is missing, then runs the platform supervisor in this very process
// (tsx loaded in-process), so the signals npm forwards to its script — package.json `exec`s
// this file instead of leaving a shell in between — reach the supervisor itself.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
ensureInstalled(root);
const { register } = await import('tsx/esm/api');
register();
await import('./start-platform.ts');
