// Fixes in installed dependencies that upstream has not released, applied after every
// `npm install` (package.json's postinstall) and before `npm start|test|run bench`. Each fix
// names the exact file content it replaces: a dependency that changed is left alone, with a
// warning, rather than patched blind. Plain Node, no dependencies.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const FIXES = [
  {
    // kafkajs 2.2.4 groups a send's messages by partition with `[...current, message]` per
    // message: quadratic in the records per partition. A 1,000-record send to one partition
    // copied half a million array slots, a quarter of the producer's CPU in the client bench
    // (bench/RESULTS.md, 2026-12-01 22:00). Same result, built in one pass.
    pkg: 'kafkajs',
    version: '2.2.4',
    file: 'src/producer/groupMessagesPerPartition.js',
    original: `module.exports = ({ topic, partitionMetadata, messages, partitioner }) => {
  if (partitionMetadata.length === 0) {
    return {}
  }

  return messages.reduce((result, message) => {
    const partition = partitioner({ topic, partitionMetadata, message })
    const current = result[partition] || []
    return Object.assign(result, { [partition]: [...current, message] })
  }, {})
}
`,
    patched: `// Patched by Flotilla (tools/scripts/patch-dependencies.mjs): one pass instead of copying the
// partition's array for every message.
module.exports = ({ topic, partitionMetadata, messages, partitioner }) => {
  if (partitionMetadata.length === 0) {
    return {}
  }

  const result = {}
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message })
    const current = result[partition]
    if (current === undefined) result[partition] = [message]
    else current.push(message)
  }
  return result
}
`,
  },
];

/** Applies every fix under `root`; returns the lines it has to say (applied, or skipped and why). */
export function patchDependencies(root) {
  const said = [];
  for (const fix of FIXES) {
    const base = join(root, 'node_modules', fix.pkg);
    const path = join(base, fix.file);
    if (!existsSync(path)) continue;
    const version = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')).version;
    const current = readFileSync(path, 'utf8');
    if (current === fix.patched) continue;
    if (version !== fix.version || current !== fix.original) {
      said.push(`patch-dependencies: ${fix.pkg} ${version} ${fix.file} is not the ${fix.version} file the fix was written for; left as it is`);
      continue;
    }
    writeFileSync(path, fix.patched);
    said.push(`patch-dependencies: patched ${fix.pkg} ${version} ${fix.file}`);
  }
  return said;
}

// Run as a script (postinstall): argv[1] is not resolved through symlinks, import.meta.url is.
if (process.argv[1] && existsSync(process.argv[1]) && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  for (const line of patchDependencies(root)) console.log(line);
}
