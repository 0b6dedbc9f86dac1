// patches/ (applied by patch-package on npm install and before npm start|test|run bench): the
// installed dependencies carry every patch, and each patch was made for the installed version.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..', '..');
const FILE = 'src/producer/groupMessagesPerPartition.js';

type Group = (args: { topic: string; partitionMetadata: unknown[]; messages: { n: number; p: number }[]; partitioner: (a: { message: { p: number } }) => number }) => Record<string, { n: number }[]>;

describe('dependency patches', () => {
  it('the installed kafkajs groups a send by partition in one pass, keeping each partition in input order', () => {
    const installed = readFileSync(require.resolve(`kafkajs/${FILE}`), 'utf8');
    expect(installed).toContain('Patched by Flotilla');
    expect(installed).not.toContain('Object.assign(result');
    const group = require(`kafkajs/${FILE}`) as Group;
    const messages = Array.from({ length: 3_000 }, (_, n) => ({ n, p: (n * 7) % 3 }));
    const grouped = group({ topic: 't', partitionMetadata: [{}, {}, {}], messages, partitioner: ({ message }) => message.p });
    expect(Object.keys(grouped)).toEqual(['0', '1', '2']);
    for (const p of [0, 1, 2]) expect(grouped[String(p)]!.map((m) => m.n)).toEqual(messages.filter((m) => m.p === p).map((m) => m.n));
    expect(group({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 })).toEqual({});
  });

  it('each patch names the installed version of its package (an upgrade must redo the patch, not apply it blind)', () => {
    const patches = readdirSync(join(root, 'patches')).filter((name) => name.endsWith('.patch'));
    expect(patches).toContain('kafkajs+2.2.4.patch');
    for (const name of patches) {
      const [, pkg, version] = /^(.+)\+([^+]+)\.patch$/.exec(name) ?? [];
      const installed = (require(`${pkg!.replace(/\+/g, '/')}/package.json`) as { version: string }).version;
      expect({ patch: name, installed }).toEqual({ patch: name, installed: version });
    }
  });
});
