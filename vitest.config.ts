// Two vitest projects: `unit` (pure, fast, beside the code) and `int` (real Kafka, Temporal
// and databases, started once per run by the global setup and shared by every file).
import { defineConfig } from 'vitest/config';

const sources = ['apps/*/src/**', 'libs/*/src/**', 'tools/*/src/**', 'e2e/**', 'bench/lib/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: sources.map((dir) => `${dir}/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'int',
          include: sources.map((dir) => `${dir}/*.int.test.ts`),
          exclude: ['**/node_modules/**'],
          environment: 'node',
          globalSetup: ['tools/vitest/src/global-setup.ts'],
          // Files share the started clusters; running them one at a time keeps a 2-core
          // machine from starving the brokers and makes fault tests (kill -9) unambiguous.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
