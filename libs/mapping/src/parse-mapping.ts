// Unknown JSON → a validated, frozen MappingDocument. Every section is checked even when another
// is broken, so one run reports every problem in the document rather than the first.
import { showValue } from '@flotilla/errors';
import { analyzeSections, checkProtoKeys, checkVersion } from './check-mapping';
import { deepFreeze } from './deep-freeze';
import { MappingValidationError, type MappingIssue } from './errors';
import { ROOT_PATH } from './json-path';
import type { MappingDocument } from './mapping-document';
import {
  clustersSchema,
  consumerRulesSchema,
  handoffsSchema,
  producerRulesSchema,
} from './mapping-schema';
import { parseSection } from './zod-issues';

export type SafeParseMappingResult =
  | { readonly ok: true; readonly mapping: MappingDocument }
  | { readonly ok: false; readonly error: MappingValidationError };

const TOP_LEVEL_KEYS: readonly string[] = ['version', 'clusters', 'producers', 'consumers', 'handoffs'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A document may leave out a side or its handoffs: that section is then empty. null is not
// absence, and is reported as the wrong type.
function orEmpty(section: unknown): unknown {
  return section === undefined ? {} : section;
}

/** Throws a MappingValidationError listing every issue when `input` is not a valid mapping. */
export function parseMapping(input: unknown): MappingDocument {
  const result = safeParseMapping(input);
  if (!result.ok) throw result.error;
  return result.mapping;
}

export function safeParseMapping(input: unknown): SafeParseMappingResult {
  const issues: MappingIssue[] = [];
  if (!isPlainObject(input)) {
    issues.push({ path: ROOT_PATH, message: `expected an object, got ${showValue(input)}` });
    return { ok: false, error: new MappingValidationError(issues) };
  }
  const unknownKeys = Object.keys(input).filter((key) => !TOP_LEVEL_KEYS.includes(key));
  if (unknownKeys.length > 0) {
    issues.push({
      path: ROOT_PATH,
      message: `unknown key${unknownKeys.length === 1 ? '' : 's'} ${unknownKeys
        .map((key) => JSON.stringify(key))
        .join(', ')}, expected only ${TOP_LEVEL_KEYS.join(', ')}`,
    });
  }
  checkProtoKeys(input, [], issues);

  const version = input['version'];
  const versionOk = checkVersion(version, issues);
  const rawClusters = input['clusters'];
  if (rawClusters === undefined) issues.push({ path: 'clusters', message: 'missing, expected an object' });
  const clusters =
    rawClusters === undefined ? undefined : parseSection(clustersSchema, rawClusters, ['clusters'], issues);
  const producers = parseSection(producerRulesSchema, orEmpty(input['producers']), ['producers'], issues);
  const consumers = parseSection(consumerRulesSchema, orEmpty(input['consumers']), ['consumers'], issues);
  const handoffs = parseSection(handoffsSchema, orEmpty(input['handoffs']), ['handoffs'], issues);

  analyzeSections({ clusters, producers, consumers, handoffs }, issues);

  if (
    issues.length > 0 ||
    !versionOk ||
    clusters === undefined ||
    producers === undefined ||
    consumers === undefined ||
    handoffs === undefined
  ) {
    return { ok: false, error: new MappingValidationError(issues) };
  }
  const mapping: MappingDocument = {
    version,
    clusters,
    producers,
    consumers,
    handoffs,
  };
  return { ok: true, mapping: deepFreeze(mapping) };
}
