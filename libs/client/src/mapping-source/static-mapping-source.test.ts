import { MappingValidationError, compileMapping, parseMapping } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { recordMappings } from './mapping-listener-recorder';
import { staticMappingSource } from './static-mapping-source';
import { UNKNOWN_SINK_MESSAGE, mappingDocument, mappingWithUnknownSink } from './test-mapping-documents';

describe('staticMappingSource', () => {
  it('delivers a document once, on start', async () => {
    const source = staticMappingSource(mappingDocument(9));
    expect(source.current()).toBeUndefined();
    const recorder = recordMappings();
    await source.start(recorder.listener);
    expect(recorder.mappings.map((m) => [m.version, m.previous])).toEqual([[9, undefined]]);
    expect(source.current()?.consumerSources('foo').map((c) => c.name)).toEqual(['consumer-kafka-1', 'consumer-kafka-2']);
    await source.stop();
  });

  it('takes an already compiled mapping as it is', async () => {
    const compiled = compileMapping(parseMapping(mappingDocument(2)));
    const source = staticMappingSource(compiled);
    const recorder = recordMappings();
    await source.start(recorder.listener);
    expect(recorder.mappings[0]?.mapping).toBe(compiled);
  });

  it('refuses an invalid document when created, naming the path', () => {
    expect(() => staticMappingSource(mappingWithUnknownSink(1))).toThrow(MappingValidationError);
    expect(() => staticMappingSource(mappingWithUnknownSink(1))).toThrow(UNKNOWN_SINK_MESSAGE);
  });
});
