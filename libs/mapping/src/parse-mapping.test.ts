import { describe, expect, it } from 'vitest';
import {
  MappingValidationError,
  compileMapping,
  formatIssue,
  parseMapping,
  safeParseMapping,
  toDocument,
} from './index';
import { FULL_DOCUMENT_JSON, fullDocument } from './test-support/architecture-examples';

/** The formatted issues a document produces, or [] when it parses. */
function issuesOf(input: unknown): string[] {
  const result = safeParseMapping(input);
  return result.ok ? [] : result.error.issues.map(formatIssue);
}

const CLUSTERS = {
  'fronting-kafka-1': { bootstrap: ['127.0.0.1:19092'], tier: 'medium', role: 'fronting' },
  'fronting-kafka-2': { bootstrap: ['127.0.0.1:19192'], tier: 'high', role: 'fronting' },
  'consumer-kafka-1': { bootstrap: ['127.0.0.1:19292'], role: 'consumer' },
};

function doc(parts: Record<string, unknown>): Record<string, unknown> {
  return { version: 1, clusters: CLUSTERS, ...parts };
}

describe('parseMapping: the full document of ARCHITECTURE.md §3', () => {
  it('accepts it and keeps every section as written', () => {
    const mapping = parseMapping(JSON.parse(FULL_DOCUMENT_JSON));
    expect(mapping.version).toBe(42);
    expect(Object.keys(mapping.clusters)).toEqual([
      'fronting-kafka-1',
      'fronting-kafka-2',
      'consumer-kafka-1',
      'consumer-kafka-2',
    ]);
    expect(mapping.clusters['fronting-kafka-1']).toEqual({
      bootstrap: ['127.0.0.1:19092'],
      tier: 'medium',
      role: 'fronting',
    });
    expect(mapping.clusters['consumer-kafka-1']).not.toHaveProperty('tier');
    expect(mapping.producers['t1, t2']).toEqual({ where: [{ sink: 'fronting-kafka-1' }] });
    expect(mapping.handoffs['foo']).toEqual({
      from: 'consumer-kafka-1',
      to: 'consumer-kafka-2',
      keyed: true,
      sealed: { '0': 1200, '1': 1187 },
    });
  });

  it('returns a frozen document so a published version cannot be edited in place', () => {
    const mapping = parseMapping(JSON.parse(FULL_DOCUMENT_JSON));
    expect(Object.isFrozen(mapping)).toBe(true);
    expect(Object.isFrozen(mapping.producers['t1, t2']?.where)).toBe(true);
  });

  it('treats missing producers, consumers and handoffs as empty', () => {
    const mapping = parseMapping({ version: 3, clusters: CLUSTERS });
    expect(mapping).toMatchObject({ producers: {}, consumers: {}, handoffs: {} });
  });

  it('safeParseMapping reports success without throwing', () => {
    const result = safeParseMapping(JSON.parse(FULL_DOCUMENT_JSON));
    expect(result.ok).toBe(true);
  });
});

describe('parseMapping: errors name the path, the value and what was expected', () => {
  it('an unknown cluster', () => {
    const input = doc({ producers: { 't1, t2': { where: [{ sink: 'fronting-9' }] } } });
    expect(issuesOf(input)).toEqual(['producers["t1, t2"].where[0].sink: unknown cluster "fronting-9"']);
    expect(
      issuesOf(doc({ consumers: { foo: [{ vip: 'consumer-kafka-1' }, { vip: 'nope' }] } })),
    ).toEqual(['consumers.foo[1].vip: unknown cluster "nope"']);
  });

  it('a topic listed under two keys names both keys, on each side', () => {
    const producers = {
      't1, t2': { where: [{ sink: 'fronting-kafka-1' }] },
      't2,t3': { where: [{ sink: 'fronting-kafka-2' }] },
    };
    const consumers = { foo: [{ vip: 'consumer-kafka-1' }], 'bar, foo': [{ vip: 'consumer-kafka-1' }] };
    expect(issuesOf(doc({ producers, consumers }))).toEqual([
      'producers["t2,t3"]: topic "t2" already listed in producers["t1, t2"]',
      'consumers["bar, foo"]: topic "foo" already listed in consumers.foo',
    ]);
  });

  it('a topic listed twice in one key', () => {
    const producers = { 't1, t1': { where: [{ sink: 'fronting-kafka-1' }] } };
    expect(issuesOf(doc({ producers }))).toEqual(['producers["t1, t1"]: topic "t1" listed twice in this key']);
  });

  it('the same topic on the producer and the consumer side is not a duplicate', () => {
    const input = doc({
      producers: { foo: { where: [{ sink: 'fronting-kafka-1' }] } },
      consumers: { foo: [{ vip: 'consumer-kafka-1' }] },
    });
    expect(issuesOf(input)).toEqual([]);
  });

  it('an empty where', () => {
    expect(issuesOf(doc({ producers: { t3: { where: [] } } }))).toEqual([
      'producers.t3.where: empty list, expected at least one { "sink": <cluster> }',
    ]);
  });

  it('an empty consumer list', () => {
    expect(issuesOf(doc({ consumers: { foo: [] } }))).toEqual([
      'consumers.foo: empty list, expected at least one { "vip": <cluster> }',
    ]);
  });

  it('an empty topic name in a comma list', () => {
    const where = { where: [{ sink: 'fronting-kafka-1' }] };
    expect(issuesOf(doc({ producers: { 't1, , t2': where } }))).toEqual([
      'producers["t1, , t2"]: empty topic name at position 2 of the comma-separated list',
    ]);
    expect(issuesOf(doc({ producers: { 't1,': where } }))).toEqual([
      'producers["t1,"]: empty topic name at position 2 of the comma-separated list',
    ]);
    expect(issuesOf(doc({ consumers: { ' ': [{ vip: 'consumer-kafka-1' }] } }))).toEqual([
      'consumers[" "]: empty topic name',
    ]);
  });

  it("an invalid topic name by Kafka's rules", () => {
    const where = { where: [{ sink: 'fronting-kafka-1' }] };
    const longest = 'x'.repeat(249);
    expect(issuesOf(doc({ producers: { 'ok, bad topic': where } }))).toEqual([
      'producers["ok, bad topic"]: invalid topic name "bad topic", expected only the characters a-z A-Z 0-9 . _ -',
    ]);
    expect(issuesOf(doc({ producers: { 'a, ., ..': where } }))).toEqual([
      'producers["a, ., .."]: invalid topic name ".", expected a name other than "." and ".."',
      'producers["a, ., .."]: invalid topic name "..", expected a name other than "." and ".."',
    ]);
    expect(issuesOf(doc({ producers: { [`${longest}y`]: where } }))).toEqual([
      `producers.${longest}y: invalid topic name of 250 characters, expected at most 249`,
    ]);
    expect(issuesOf(doc({ producers: { [longest]: where, 'a.b_c-D9': where } }))).toEqual([]);
  });

  it('__default__ inside a list of topics', () => {
    const where = { where: [{ sink: 'fronting-kafka-1' }] };
    expect(issuesOf(doc({ producers: { 't1, __default__': where } }))).toEqual([
      'producers["t1, __default__"]: "__default__" must be a key on its own, not part of a list of topics',
    ]);
  });

  it('a cluster listed twice for one topic', () => {
    const producers = { t1: { where: [{ sink: 'fronting-kafka-1' }, { sink: 'fronting-kafka-1' }] } };
    expect(issuesOf(doc({ producers }))).toEqual([
      'producers.t1.where[1].sink: duplicate cluster "fronting-kafka-1", already listed at producers.t1.where[0].sink',
    ]);
  });

  it('a handoff naming unknown clusters, or with bad sealed offsets', () => {
    const input = doc({
      handoffs: {
        foo: { from: 'gone-1', to: 'gone-2', keyed: true, sealed: { '0': -1, '1': 1.5, '2': 7 } },
        bar: { from: 'consumer-kafka-1', to: 'consumer-kafka-1', keyed: false, sealed: { x: 1, '01': 2 } },
      },
    });
    expect(issuesOf(input)).toEqual([
      'handoffs.foo.from: unknown cluster "gone-1"',
      'handoffs.foo.to: unknown cluster "gone-2"',
      'handoffs.foo.sealed["0"]: expected a non-negative integer offset, got -1',
      'handoffs.foo.sealed["1"]: expected a non-negative integer offset, got 1.5',
      'handoffs.bar.to: expected a cluster other than from, got "consumer-kafka-1"',
      'handoffs.bar.sealed.x: invalid partition "x", expected a non-negative integer',
      'handoffs.bar.sealed["01"]: invalid partition "01", expected a non-negative integer',
    ]);
  });

  it('a handoff keyed by something that is not a topic', () => {
    const handoff = { from: 'fronting-kafka-1', to: 'fronting-kafka-2', keyed: false, sealed: {} };
    expect(issuesOf(doc({ handoffs: { __default__: handoff, 'a, b': handoff } }))).toEqual([
      'handoffs.__default__: expected a topic name, "__default__" applies only to producers and consumers',
      'handoffs["a, b"]: invalid topic name "a, b", expected only the characters a-z A-Z 0-9 . _ -',
    ]);
  });

  it('a document that is not an object', () => {
    expect(issuesOf(null)).toEqual(['(root): expected an object, got null']);
    expect(issuesOf([])).toEqual(['(root): expected an object, got an array']);
    expect(issuesOf('{"version": 1}')).toEqual(['(root): expected an object, got "{\\"version\\": 1}"']);
  });

  it('a bad or missing version', () => {
    expect(issuesOf(doc({ version: '42' }))).toEqual(['version: expected a positive integer, got "42"']);
    expect(issuesOf(doc({ version: 0 }))).toEqual(['version: expected a positive integer, got 0']);
    expect(issuesOf(doc({ version: 1.5 }))).toEqual(['version: expected a positive integer, got 1.5']);
    expect(issuesOf({ clusters: CLUSTERS })).toEqual(['version: missing, expected a positive integer']);
  });

  it('wrong types inside sections, converted from zod to the same path style', () => {
    const input = {
      version: 7,
      clusters: {
        a: { bootstrap: 'h:1', role: 'fronting' },
        b: { bootstrap: ['h:1'], role: 'router', tier: 'urgent' },
        c: { bootstrap: ['h:1'] },
      },
      producers: { t1: { where: [{ sink: 3 }] }, t2: { where: {} }, t3: [] },
      consumers: { foo: { vip: 'a' } },
      handoffs: { foo: { from: 'a', to: 'b', keyed: 'yes', sealed: { '0': '5' } } },
    };
    expect(issuesOf(input)).toEqual([
      'clusters.a.bootstrap: expected an array, got "h:1"',
      'clusters.b.tier: expected one of "low", "medium", "high", got "urgent"',
      'clusters.b.role: expected one of "fronting", "consumer", got "router"',
      'clusters.c.role: missing, expected one of "fronting", "consumer"',
      'producers.t1.where[0].sink: expected a string, got 3',
      'producers.t2.where: expected an array, got an object',
      'producers.t3: expected an object, got an array',
      'consumers.foo: expected an array, got an object',
      'handoffs.foo.keyed: expected a boolean, got "yes"',
      'handoffs.foo.sealed["0"]: expected a number, got "5"',
    ]);
  });

  it('missing or malformed sections', () => {
    expect(issuesOf({ version: 1 })).toEqual(['clusters: missing, expected an object']);
    expect(issuesOf(doc({ producers: [] }))).toEqual(['producers: expected an object, got an array']);
    expect(issuesOf(doc({ consumers: null }))).toEqual(['consumers: expected an object, got null']);
  });

  it('unknown keys, so a misspelt optional key never passes silently', () => {
    const input = doc({
      clusters: { a: { bootstrap: ['h:1'], role: 'consumer', teir: 'low' } },
      producers: { t1: { where: [{ sink: 'a' }], sinks: [] } },
      consumers: { t1: [{ vip: 'a', weight: 2 }] },
      extra: true,
    });
    expect(issuesOf(input)).toEqual([
      '(root): unknown key "extra", expected only version, clusters, producers, consumers, handoffs',
      'clusters.a: unknown key "teir", expected only bootstrap, saslBootstrap, tier, role',
      'producers.t1: unknown key "sinks", expected only where',
      'consumers.t1[0]: unknown key "weight", expected only vip',
    ]);
  });

  it('bootstrap lists that are empty or not host:port', () => {
    const input = doc({
      clusters: {
        a: { bootstrap: [], role: 'consumer' },
        b: { bootstrap: ['localhost', 'h:0', 'h:65536', '[::1]:9092', 'kafka-1.internal:9093'], role: 'consumer' },
        '': { bootstrap: ['h:1'], role: 'consumer' },
      },
    });
    expect(issuesOf(input)).toEqual([
      'clusters.a.bootstrap: empty list, expected at least one host:port',
      'clusters.b.bootstrap[0]: expected host:port, got "localhost"',
      'clusters.b.bootstrap[1]: expected host:port with a port from 1 to 65535, got "h:0"',
      'clusters.b.bootstrap[2]: expected host:port with a port from 1 to 65535, got "h:65536"',
      'clusters[""]: empty cluster name',
    ]);
  });

  it('an authenticated listener list checked as bootstrap is, and kept through compiling', () => {
    const bad = doc({ clusters: { a: { bootstrap: ['h:1'], saslBootstrap: [], role: 'consumer' }, b: { bootstrap: ['h:1'], saslBootstrap: ['h'], role: 'consumer' } } });
    expect(issuesOf(bad)).toEqual(['clusters.a.saslBootstrap: empty list, expected at least one host:port', 'clusters.b.saslBootstrap[0]: expected host:port, got "h"']);
    const good = parseMapping(doc({ clusters: { a: { bootstrap: ['h:1'], saslBootstrap: ['h:2'], role: 'consumer' } } }));
    expect(toDocument(compileMapping(good)).clusters['a']).toEqual({ bootstrap: ['h:1'], saslBootstrap: ['h:2'], role: 'consumer' });
  });

  it('a "__proto__" key, which would otherwise vanish from the parsed document', () => {
    const input = JSON.parse(
      '{"version":1,"clusters":{"a":{"bootstrap":["h:1"],"role":"consumer"}},' +
        '"consumers":{"__proto__":[{"vip":"a"}]}}',
    ) as unknown;
    expect(issuesOf(input)).toEqual(['consumers.__proto__: unsupported key "__proto__"']);
    // Nor can it hide in a list, where it would parse but could never be written back alone.
    expect(issuesOf(doc({ consumers: { 'a, __proto__': [{ vip: 'consumer-kafka-1' }] } }))).toEqual([
      'consumers["a, __proto__"]: invalid topic name "__proto__", expected a name other than "__proto__", which JavaScript objects reserve',
    ]);
  });

  it('collects every issue into one error whose message joins them', () => {
    const input = fullDocument();
    input['version'] = -1;
    input['producers'] = {
      't1, t2': { where: [{ sink: 'fronting-9' }] },
      't2, t4': { where: [] },
    };
    let caught: unknown;
    try {
      parseMapping(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MappingValidationError);
    if (!(caught instanceof MappingValidationError)) return;
    const error = caught;
    expect(error.issues).toEqual([
      { path: 'version', message: 'expected a positive integer, got -1' },
      { path: 'producers["t1, t2"].where[0].sink', message: 'unknown cluster "fronting-9"' },
      { path: 'producers["t2, t4"].where', message: 'empty list, expected at least one { "sink": <cluster> }' },
      { path: 'producers["t2, t4"]', message: 'topic "t2" already listed in producers["t1, t2"]' },
    ]);
    expect(error.message).toBe(
      'invalid mapping: version: expected a positive integer, got -1; ' +
        'producers["t1, t2"].where[0].sink: unknown cluster "fronting-9"; ' +
        'producers["t2, t4"].where: empty list, expected at least one { "sink": <cluster> }; ' +
        'producers["t2, t4"]: topic "t2" already listed in producers["t1, t2"]',
    );
    expect(error.code).toBe('MAPPING_INVALID');
    expect(error.retryable).toBe(false);
  });

  it('keeps checking references in other sections when one section is malformed', () => {
    const input = fullDocument();
    input['handoffs'] = 'none';
    input['consumers'] = { foo: [{ vip: 'consumer-kafka-9' }] };
    expect(issuesOf(input)).toEqual([
      'handoffs: expected an object, got "none"',
      'consumers.foo[0].vip: unknown cluster "consumer-kafka-9"',
    ]);
  });

  it('safeParseMapping returns the error instead of throwing', () => {
    const result = safeParseMapping(42);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues).toHaveLength(1);
  });
});
