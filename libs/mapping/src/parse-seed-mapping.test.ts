import { describe, expect, it } from 'vitest';
import { MappingValidationError, formatIssue, parseSeedConsumerMapping, parseSeedProducerMapping } from './index';
import { SEED_CONSUMER_JSON, SEED_PRODUCER_JSON } from './test-support/architecture-examples';

function issuesOf(parse: (input: unknown) => unknown, input: unknown): string[] {
  try {
    parse(input);
    return [];
  } catch (error) {
    if (!(error instanceof MappingValidationError)) throw error;
    return error.issues.map(formatIssue);
  }
}

describe('seed documents of ARCHITECTURE.md §3 on their own', () => {
  it('parses the producer seed with its comma key and default', () => {
    const producers = parseSeedProducerMapping(JSON.parse(SEED_PRODUCER_JSON));
    expect(Object.keys(producers)).toEqual(['t1, t2', 't3', '__default__']);
    expect(producers['t3']).toEqual({ where: [{ sink: 'fronting-kafka-2' }] });
  });

  it('parses the consumer seed', () => {
    const consumers = parseSeedConsumerMapping(JSON.parse(SEED_CONSUMER_JSON));
    expect(consumers['foo']).toEqual([{ vip: 'consumerKafka1' }, { vip: 'consumerKafka2' }]);
  });

  it('takes any cluster name as given, since a seed declares no clusters', () => {
    expect(issuesOf(parseSeedProducerMapping, { t1: { where: [{ sink: 'anything-at-all' }] } })).toEqual([]);
  });

  it('reports issues at paths under producers / consumers', () => {
    expect(
      issuesOf(parseSeedProducerMapping, {
        't1, t2': { where: [{ sink: 'a' }] },
        't2': { where: [] },
        'x y': { where: [{ sink: '' }] },
      }),
    ).toEqual([
      'producers.t2.where: empty list, expected at least one { "sink": <cluster> }',
      'producers.t2: topic "t2" already listed in producers["t1, t2"]',
      'producers["x y"].where[0].sink: empty cluster name',
      'producers["x y"]: invalid topic name "x y", expected only the characters a-z A-Z 0-9 . _ -',
    ]);
    expect(issuesOf(parseSeedConsumerMapping, { foo: [], 'bar,': [{ vip: 'c' }] })).toEqual([
      'consumers.foo: empty list, expected at least one { "vip": <cluster> }',
      'consumers["bar,"]: empty topic name at position 2 of the comma-separated list',
    ]);
  });

  it('rejects a document of the wrong shape', () => {
    expect(issuesOf(parseSeedConsumerMapping, [])).toEqual(['consumers: expected an object, got an array']);
    expect(issuesOf(parseSeedProducerMapping, { foo: [{ vip: 'c' }] })).toEqual([
      'producers.foo: expected an object, got an array',
    ]);
    // A producer seed passed where a consumer seed is expected: each rule is the wrong type.
    expect(issuesOf(parseSeedConsumerMapping, JSON.parse(SEED_PRODUCER_JSON))).toEqual([
      'consumers["t1, t2"]: expected an array, got an object',
      'consumers.t3: expected an array, got an object',
      'consumers.__default__: expected an array, got an object',
    ]);
  });
});
