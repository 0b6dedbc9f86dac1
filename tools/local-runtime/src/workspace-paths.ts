// Where the project keeps what it downloads (.cache, git-ignored, survives runs) and what it
// runs (.flotilla/run, per-run data such as Kafka log dirs).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findWorkspaceRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json found above ${start}`);
    dir = parent;
  }
}

export const workspaceRoot = findWorkspaceRoot(dirname(fileURLToPath(import.meta.url)));

export function cacheDir(...parts: string[]): string {
  return resolve(workspaceRoot, '.cache', ...parts);
}

export function stateDir(...parts: string[]): string {
  return resolve(workspaceRoot, '.flotilla', ...parts);
}
