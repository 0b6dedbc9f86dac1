#!/usr/bin/env node
// `npm run pack:client [-- --out DIR]`: builds @flotilla/client as a package an application
// installs, then `npm pack`s it. Workspace sources run under tsx; a package must run on plain
// Node, so:
// - JavaScript: esbuild bundles libs/client/src/index.ts into one ESM file together with the
//   workspace libraries it imports (@flotilla/mapping, @flotilla/kafka, @flotilla/errors, …),
//   which are not published on their own; every other package stays an import and becomes a
//   dependency of the package, at the version the root package.json pins.
// - Types: rollup with rollup-plugin-dts bundles the declarations of the same graph into one
//   index.d.ts, so the types do not name workspace packages either.
// - package.json: written here, not copied: the workspace one is private and exports TypeScript
//   source (and ./internal, which is not published).
// Prints the tarball's path as its last line. Output goes to dist/client (git-ignored) by default.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const library = join(root, 'libs', 'client');
const entry = join(library, 'src', 'index.ts');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = resolve(values.out ?? join(root, 'dist', 'client'));
const packageDir = join(out, 'package');

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const libraryManifest = JSON.parse(readFileSync(join(library, 'package.json'), 'utf8'));
const pinned = { ...rootManifest.devDependencies, ...rootManifest.dependencies };

const isWorkspace = (name) => name.startsWith('@flotilla/');
const isBuiltin = (name) => name.startsWith('node:') || builtinModules.includes(name);
/** `kafkajs` of `kafkajs/x`, `@scope/pkg` of `@scope/pkg/x`. */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

rmSync(out, { recursive: true, force: true });
mkdirSync(packageDir, { recursive: true });

const bundled = await build({
  entryPoints: [entry],
  outfile: join(packageDir, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
  plugins: [
    {
      name: 'dependencies-stay-imports',
      setup(builder) {
        builder.onResolve({ filter: /.*/ }, async ({ path, importer, resolveDir, kind, pluginData }) => {
          if (/^[^./]/.test(path) && !isWorkspace(path)) return { path, external: true };
          if (pluginData === 'resolving') return undefined;
          // Our sources have no import-time side effects (no singletons made on import), so a
          // module whose exports the client does not use is left out with its imports: the
          // logger of @flotilla/observability, and with it pino, is not part of the package.
          const resolved = await builder.resolve(path, { importer, resolveDir, kind, pluginData: 'resolving' });
          if (resolved.errors.length > 0) return { errors: resolved.errors };
          return { ...resolved, sideEffects: !resolved.path.startsWith(join(root, 'libs')) };
        });
      },
    },
  ],
});

// What the bundle still imports, once unused modules are left out: each becomes a dependency.
const imported = new Set();
for (const output of Object.values(bundled.metafile.outputs)) {
  for (const { path, external } of output.imports) if (external && !isBuiltin(path)) imported.add(packageOf(path));
}

const types = await rollup({
  input: entry,
  // Workspace packages are followed into their sources (respectExternal); the others stay imports.
  external: (id) => /^[^./]/.test(id) && !isWorkspace(id) && !/^[A-Za-z]:/.test(id),
  plugins: [dts({ respectExternal: true, tsconfig: join(root, 'tsconfig.base.json'), compilerOptions: { noEmit: false } })],
});
const { output } = await types.write({ file: join(packageDir, 'index.d.ts'), format: 'es' });
await types.close();
for (const chunk of output) {
  for (const name of chunk.type === 'chunk' ? chunk.imports : []) if (!isBuiltin(name)) imported.add(packageOf(name));
}

const dependencies = {};
for (const name of [...imported].sort()) {
  if (name === '@types/node') continue;
  const version = pinned[name];
  if (version === undefined) throw new Error(`the bundle imports "${name}", which the root package.json does not list: add it there`);
  dependencies[name] = version;
}

const manifest = {
  name: libraryManifest.name,
  version: libraryManifest.version,
  description: libraryManifest.description,
  type: 'module',
  engines: { node: '>=20' },
  exports: { '.': { types: './index.d.ts', default: './index.js' } },
  main: './index.js',
  types: './index.d.ts',
  files: ['index.js', 'index.js.map', 'index.d.ts', 'README.md'],
  dependencies,
};
writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(library, 'README.md'), join(packageDir, 'README.md'));

const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: packageDir, encoding: 'utf8' }));
process.stderr.write(`@flotilla/client ${manifest.version}: dependencies ${Object.keys(dependencies).join(', ')}\n`);
console.log(join(out, packed[0].filename));
