// Lint: typescript-eslint's recommended rules plus Nx module boundaries on two tag axes
// (see docs/CONVENTIONS.md). Which external packages each layer may import is part of the
// boundary: only libs/kafka talks to Kafka, only libs/db to databases, only apps/worker runs
// the Temporal worker, and pure libraries import no I/O at all.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const kafkaClients = ['kafkajs', 'node-rdkafka', '@platformatic/kafka'];
const databases = ['drizzle-orm', 'drizzle-orm/*', 'drizzle-kit', 'pg', '@electric-sql/pglite', '@electric-sql/pglite/*'];
const temporalRuntime = ['@temporalio/worker', '@temporalio/testing'];
const io = ['node:fs', 'fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:dgram'];

function boundaries({ inTests }) {
  const may = (...tags) => (inTests ? [...tags, 'type:testing'] : tags);
  const ban = (...names) => (inTests ? [] : names);
  return {
    enforceBuildableLibDependency: false,
    depConstraints: [
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: may('type:domain', 'type:util'), bannedExternalImports: ban(...kafkaClients, ...databases, ...temporalRuntime, '@temporalio/*', 'fastify', 'pino', 'prom-client', ...io) },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: may('type:util'), bannedExternalImports: ban(...kafkaClients, ...databases, ...temporalRuntime) },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: may('type:data-access', 'type:domain', 'type:util'), bannedExternalImports: ban(...temporalRuntime) },
      { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: may('type:data-access', 'type:domain', 'type:util'), bannedExternalImports: ban(...kafkaClients, ...databases, ...temporalRuntime) },
      { sourceTag: 'type:feature', onlyDependOnLibsWithTags: may('type:feature', 'type:data-access', 'type:domain', 'type:util'), bannedExternalImports: ban(...kafkaClients, ...databases, ...temporalRuntime) },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: may('type:sdk', 'type:feature', 'type:data-access', 'type:domain', 'type:util') },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['*'] },
      { sourceTag: 'scope:client', onlyDependOnLibsWithTags: may('scope:client', 'scope:shared') },
      { sourceTag: 'scope:control-plane', onlyDependOnLibsWithTags: may('scope:control-plane', 'scope:shared', 'scope:client') },
      { sourceTag: 'scope:data-plane', onlyDependOnLibsWithTags: may('scope:data-plane', 'scope:shared', 'scope:client') },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: inTests ? ['scope:shared', 'scope:tools'] : ['scope:shared'] },
      { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.cache/**', '.flotilla/**', '.nx/**', 'dist/**', '**/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { '@nx': nx },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: false })],
    },
  },
  {
    // Tests may also use the test harness (type:testing) and any client to check results.
    files: ['**/*.test.ts', '**/test-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: true })] },
  },
  {
    // Kafka clients: only libs/kafka (and tools/bench, which measure the raw clients).
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/kafka/**'],
    rules: { 'no-restricted-imports': ['error', { paths: kafkaClients.map((name) => ({ name, message: 'Only libs/kafka imports Kafka client packages.' })) }] },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/db/**', 'libs/kafka/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: kafkaClients.map((name) => ({ name, message: 'Only libs/kafka imports Kafka client packages.' })),
          patterns: [{ group: ['drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*'], message: 'Only libs/db imports drizzle and database drivers.' }],
        },
      ],
    },
  },
  {
    // Pure libraries (type:domain) do no I/O. Nx's bannedExternalImports does not see Node's
    // built-ins, so they are banned here too (this block restates the two above: options of one
    // rule do not merge across blocks).
    files: ['libs/mapping/src/**/*.ts', 'libs/auth/src/**/*.ts', 'libs/capacity/src/**/*.ts', 'libs/routes/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...kafkaClients.map((name) => ({ name, message: 'Only libs/kafka imports Kafka client packages.' })),
            ...io.map((name) => ({ name, message: 'Pure libraries do no I/O.' })),
          ],
          patterns: [{ group: ['drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*'], message: 'Only libs/db imports drizzle and database drivers.' }],
        },
      ],
    },
  },
  {
    // Temporal worker runtime: only apps/worker (tests elsewhere may use @temporalio/testing).
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/worker/**', '**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "ImportDeclaration[source.value='@temporalio/worker']", message: 'Only apps/worker imports the Temporal worker package.' }] },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: @temporalio/workflow and types only.
    files: ['libs/workflows/src/**/*.workflow.ts', 'libs/workflows/src/workflows.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!@temporalio/workflow$|\\./)', message: 'Workflow code imports only @temporalio/workflow and types.' }] }],
    },
  },
  {
    // Command-line front ends and scripts talk to people on the terminal.
    files: ['apps/cli/**/*.ts', 'tools/scripts/**/*.mjs', 'bench/**/*.ts', 'tools/*/src/cli.ts', 'libs/*/src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
