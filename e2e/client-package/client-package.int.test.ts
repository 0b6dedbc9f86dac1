// @flotilla/client as an application team gets it: `npm run pack:client`'s tarball installed
// into a directory outside the repository, an application there run with plain Node (no tsx)
// producing and consuming through a live mapping on the test clusters, and a TypeScript file
// there typechecked against the shipped .d.ts with the repository's compiler.
//
// node-rdkafka compiles librdkafka on install, minutes on two cores. The tarball is installed with
// --ignore-scripts (no package in its tree needs an install script but node-rdkafka) and then
// given the binaries this repository's own install compiled from the same node-rdkafka version
// for the same Node: what npm installs is the published package, only the compilation is
// reused. The test refuses to run the application if the versions differ.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '@flotilla/kafka';
import { startMappingServer, type MappingServer } from '@flotilla/mapping-server';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'flotilla-client-package-'));
const app = join(work, 'app');
const TRANSPORTS = ['kafkajs', 'rdkafka'] as const;

let server: MappingServer | undefined;
let tarball: string;
const running = new Set<ReturnType<typeof spawn>>();

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`); never throws, the caller judges. */
function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectSuccess(what: string, finished: Finished): string {
  if (finished.code !== 0) throw new Error(`${what} exited ${finished.code}\n${finished.stderr.slice(-4_000)}\n${finished.stdout.slice(-2_000)}`);
  return finished.stdout;
}

/** The environment of a process outside the repository: no tsx loader, no repository npm settings. */
function outsideEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of Object.keys(env)) if (name === 'NODE_OPTIONS' || name.startsWith('npm_') || name === 'INIT_CWD' || name.startsWith('VITEST')) delete env[name];
  return env;
}

/** Puts the repository's compiled node-rdkafka into the installed (script-less) one. */
function reuseCompiledRdkafka(): void {
  const ours = join(root, 'node_modules', 'node-rdkafka');
  const installed = join(app, 'node_modules', 'node-rdkafka');
  const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  if (version(ours) !== version(installed)) {
    throw new Error(`the package installed node-rdkafka ${version(installed)}, the repository compiled ${version(ours)}: no binary to reuse`);
  }
  // The addon finds librdkafka through its RPATH, $ORIGIN/../deps (build/deps).
  for (const file of ['build/Release/node-librdkafka.node', 'build/deps/librdkafka.so.1', 'build/deps/librdkafka++.so.1']) {
    cpSync(join(ours, file), join(installed, file), { dereference: true });
  }
}

beforeAll(async () => {
  const packed = expectSuccess('npm run pack:client', await run(process.execPath, [join(root, 'tools/scripts/pack-client.mjs'), '--out', join(work, 'pack')], { cwd: root, env: outsideEnv(), timeoutMs: 240_000 }));
  tarball = packed.trim().split('\n').at(-1)!;

  cpSync(join(fixtures, 'app.mjs'), join(app, 'app.mjs'));
  cpSync(join(fixtures, 'typed-app.ts'), join(app, 'typed-app.ts'));
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'package-app', private: true, type: 'module' }, null, 2)}\n`);
  const install = await run('npm', ['install', tarball, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, env: outsideEnv(), timeoutMs: 240_000 });
  expectSuccess(`npm install ${tarball}`, install);
  reuseCompiledRdkafka();

  server = await startMappingServer();
}, 600_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed @flotilla/client', () => {
  it('is a public ESM package with types whose dependencies are npm packages, and only "." exported', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', '@flotilla', 'client', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.exports as object)).toEqual(['.']);
    expect(Object.keys(manifest.dependencies as object)).toEqual(expect.arrayContaining(['kafkajs', 'node-rdkafka']));
    expect(Object.keys(manifest.dependencies as object).filter((name) => name.startsWith('@flotilla/'))).toEqual([]);
    const types = readFileSync(join(app, 'node_modules', '@flotilla', 'client', 'index.d.ts'), 'utf8');
    expect(types).toContain('declare class Flotilla');
    expect(types).not.toMatch(/from '@flotilla\//);
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
  });

  it.each(TRANSPORTS)('runs a plain .mjs application on Node that produces and consumes through a live mapping (%s)', async (transport) => {
    const topic = uniqueName(`package-${transport}`);
    const admin = await connectAdmin({ bootstrap: testCluster('fronting-1').bootstrap });
    try {
      await admin.ensureTopic({ topic, partitions: 3, replicationFactor: 1 });
    } finally {
      await admin.close();
    }
    publishMapping(topic);

    const records = 500;
    const finished = await run(process.execPath, ['app.mjs'], {
      cwd: app,
      env: outsideEnv({ MAPPING_URL: server!.url, TOPIC: topic, TRANSPORT: transport, RECORDS: String(records) }),
      timeoutMs: 100_000,
    });
    const result = JSON.parse(expectSuccess('node app.mjs', finished).trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(result).toMatchObject({
      placement: { topic, producesTo: ['fronting-1'], consumesFrom: ['fronting-1'] },
      acknowledgedOn: ['fronting-1'],
      received: records,
      clustersRead: ['fronting-1'],
      refused: { name: 'ValidationError', code: 'VALIDATION', flotillaError: true },
    });
    expect((result.refused as { message: string }).message).toContain('unknown key "retry"');
  });

  it('typechecks a .ts application against the shipped types with the repository compiler', async () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          // @types/node from the repository: the application would install its own.
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['typed-app.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const finished = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, env: outsideEnv(), timeoutMs: 120_000 });
    expect(finished.stdout + finished.stderr).toBe('');
    expect(finished.code).toBe(0);
  });
});

let version = 0;

/** Every topic on fronting-1 for producers and consumers: the test fleet's cluster list as management would publish it. */
function publishMapping(topic: string): void {
  version += 1;
  const clusters = testPlatform().clusters;
  server!.publish({
    version,
    clusters: Object.fromEntries(clusters.map((c) => [c.name, { bootstrap: c.bootstrap, role: c.role, ...(c.role === 'fronting' ? { tier: 'medium' } : {}) }])),
    producers: { [topic]: { where: [{ sink: 'fronting-1' }] } },
    consumers: { [topic]: [{ vip: 'fronting-1' }] },
  });
}
