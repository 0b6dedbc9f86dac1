import { UnavailableError, ValidationError } from '@flotilla/errors';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fileMappingSource } from './file-mapping-source';
import { recordMappings } from './mapping-listener-recorder';
import type { MappingSource } from './mapping-source';
import { UNKNOWN_SINK_MESSAGE, mappingDocument, mappingWithUnknownSink } from './test-mapping-documents';

let dir: string;
let sources: MappingSource[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flotilla-file-mapping-'));
});

afterEach(async () => {
  await Promise.all(sources.map((source) => source.stop()));
  sources = [];
  await rm(dir, { recursive: true, force: true });
});

function track(source: MappingSource): MappingSource {
  sources.push(source);
  return source;
}

describe('fileMappingSource', () => {
  it('reads the document once without watch', async () => {
    const path = join(dir, 'mapping.json');
    await writeFile(path, JSON.stringify(mappingDocument(3)));
    const recorder = recordMappings();
    const source = track(fileMappingSource(path));
    await source.start(recorder.listener);
    expect(source.current()?.version).toBe(3);
    expect(recorder.mappings.map((m) => [m.version, m.previous])).toEqual([[3, undefined]]);
  });

  it('with watch, applies an edit that raises the version; rejects a broken edit and keeps the version in force', async () => {
    const path = join(dir, 'mapping.json');
    await writeFile(path, JSON.stringify(mappingDocument(1)));
    const recorder = recordMappings();
    const source = track(fileMappingSource(path, { watch: true, intervalMs: 20, onWarning: recorder.onWarning }));
    await source.start(recorder.listener);

    await writeFile(path, JSON.stringify(mappingDocument(2, 'fronting-kafka-2')));
    await vi.waitFor(() => expect(recorder.versions()).toEqual([1, 2]), { timeout: 3_000, interval: 10 });
    expect(source.current()?.producerTargets('t1').map((c) => c.name)).toEqual(['fronting-kafka-2']);

    await writeFile(path, JSON.stringify(mappingWithUnknownSink(3), null, 2));
    await vi.waitFor(() => expect(recorder.rejected).toHaveLength(1), { timeout: 3_000, interval: 10 });
    expect(recorder.rejected[0]?.error.message).toContain(UNKNOWN_SINK_MESSAGE);
    expect(source.current()?.version).toBe(2);

    // Replaced by rename, the way careful writers (and our own cache) update a file.
    const temp = join(dir, 'mapping.json.tmp');
    await writeFile(temp, JSON.stringify(mappingDocument(4)));
    await rename(temp, path);
    await vi.waitFor(() => expect(recorder.versions()).toEqual([1, 2, 4]), { timeout: 3_000, interval: 10 });
    expect(recorder.warnings).toEqual([]);
  });

  it('with watch, ignores an edit that does not raise the version', async () => {
    const path = join(dir, 'mapping.json');
    await writeFile(path, JSON.stringify(mappingDocument(5)));
    const recorder = recordMappings();
    const source = track(fileMappingSource(path, { watch: true, intervalMs: 20 }));
    await source.start(recorder.listener);
    await writeFile(path, JSON.stringify(mappingDocument(5, 'fronting-kafka-2')));
    // Long enough for several polls to see the edit; the next version proves none was taken.
    await sleep(200);
    await writeFile(path, JSON.stringify(mappingDocument(6)));
    await vi.waitFor(() => expect(recorder.versions()).toEqual([5, 6]), { timeout: 3_000, interval: 10 });
  });

  it('start() names the file when it is missing or invalid', async () => {
    const missing = join(dir, 'missing.json');
    const failure = await track(fileMappingSource(missing)).start(recordMappings().listener).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as Error).message).toContain(`cannot read mapping file "${missing}"`);

    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify(mappingWithUnknownSink(1)));
    const invalid = await track(fileMappingSource(broken, { watch: true })).start(recordMappings().listener).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as Error).message).toBe(`mapping file "${broken}" is not a valid mapping: invalid mapping: ${UNKNOWN_SINK_MESSAGE}`);
  });
});
