// tools/scripts/patch-dependencies.mjs: the installed kafkajs carries the fix, and the script
// patches only the exact file it was written for.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// A plain-Node script outside any project: loaded by URL.
const { patchDependencies, FIXES } = (await import(new URL('../../scripts/patch-dependencies.mjs', import.meta.url).href)) as {
  patchDependencies: (root: string) => string[];
  FIXES: { original: string }[];
};

const require = createRequire(import.meta.url);
const FILE = 'src/producer/groupMessagesPerPartition.js';

type Group = (args: { topic: string; partitionMetadata: unknown[]; messages: { n: number; p: number }[]; partitioner: (a: { message: { p: number } }) => number }) => Record<string, { n: number }[]>;

describe('patch-dependencies', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function fakeKafkajs(version: string, content: string): string {
    const root = mkdtempSync(join(tmpdir(), 'patch-deps-'));
    dirs.push(root);
    const base = join(root, 'node_modules', 'kafkajs');
    mkdirSync(join(base, 'src', 'producer'), { recursive: true });
    writeFileSync(join(base, 'package.json'), JSON.stringify({ name: 'kafkajs', version }));
    writeFileSync(join(base, FILE), content);
    return root;
  }

  it('the installed kafkajs groups a send by partition in one pass, keeping each partition in input order', () => {
    const installed = readFileSync(require.resolve(`kafkajs/${FILE}`), 'utf8');
    expect(installed).toContain('Patched by Flotilla');
    const group = require(`kafkajs/${FILE}`) as Group;
    const messages = Array.from({ length: 3_000 }, (_, n) => ({ n, p: (n * 7) % 3 }));
    const grouped = group({ topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner: ({ message }) => message.p });
    expect(Object.keys(grouped)).toEqual(['0', '1', '2']);
    for (const p of [0, 1, 2]) expect(grouped[String(p)]!.map((m) => m.n)).toEqual(messages.filter((m) => m.p === p).map((m) => m.n));
    expect(group({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 })).toEqual({});
  });

  it('patches the 2.2.4 file it was written for, once, and leaves any other content alone with a warning', () => {
    const original = readFileSync(require.resolve(`kafkajs/${FILE}`), 'utf8');
    // The upstream text is what the script replaces; rebuild a tree holding it.
    const upstream = FIXES[0]!.original;
    const root = fakeKafkajs('2.2.4', upstream);
    expect(patchDependencies(root)).toEqual([`patch-dependencies: patched kafkajs 2.2.4 ${FILE}`]);
    expect(readFileSync(join(root, 'node_modules', 'kafkajs', FILE), 'utf8')).toBe(original);
    expect(patchDependencies(root)).toEqual([]);

    const changed = fakeKafkajs('2.3.0', '// something else\n');
    expect(patchDependencies(changed)[0]).toMatch(/kafkajs 2\.3\.0 .* is not the 2\.2\.4 file the fix was written for; left as it is/);
    expect(readFileSync(join(changed, 'node_modules', 'kafkajs', FILE), 'utf8')).toBe('// something else\n');
  });
});
