// Runs the placement and mapping suite on PGlite (a fresh data directory per test).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { createDb } from './create-db';
import { placementAndMappingSuite } from './placement-and-mapping.suite';

describe('topics, placements and mapping versions on PGlite', () => {
  placementAndMappingSuite(async () => {
    const root = await mkdtemp(join(tmpdir(), 'flotilla-db-'));
    return { open: () => createDb({ dataDir: join(root, 'db') }), destroy: () => rm(root, { recursive: true, force: true }) };
  });
});
