// Resource patterns in policies. Deliberately small: literal characters, `*` for any run of
// characters within one segment (never `/`), `**` for any run including `/`. Nothing else, so a
// pattern reads the same to the proxy, to the management API and to the ACL synchroniser.

import { ValidationError } from '@flotilla/errors';
import { MAX_RESOURCE_LENGTH } from './resource-path';

export const RESOURCE_PATTERN_EXPECTATION =
  'a pattern such as "/topics/orders.*": "/" followed by non-empty segments of A-Z a-z 0-9 . _ - and * (any characters but "/") or ** (any characters)';

const PATTERN_SEGMENT_CHARACTERS = /^[A-Za-z0-9._*-]+$/;

/**
 * What is wrong with `pattern` ("has an empty segment 2"), or undefined when it is valid. The
 * text does not repeat the pattern, so each caller can show it in its own place.
 */
export function resourcePatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'is empty';
  if (pattern.length > MAX_RESOURCE_LENGTH) {
    return `has ${pattern.length} characters, more than ${MAX_RESOURCE_LENGTH}`;
  }
  if (!pattern.startsWith('/')) return 'does not start with "/"';
  const segments = pattern.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '') return `has an empty segment ${index + 1}`;
    if (segment === '.' || segment === '..') return `has a ${JSON.stringify(segment)} segment`;
    if (!PATTERN_SEGMENT_CHARACTERS.test(segment)) {
      return `has segment ${JSON.stringify(segment)} with characters outside A-Z a-z 0-9 . _ - *`;
    }
    if (segment.includes('***')) return `has "***" in segment ${JSON.stringify(segment)} (only * or **)`;
  }
  return undefined;
}

export function isResourcePattern(pattern: string): boolean {
  return resourcePatternProblem(pattern) === undefined;
}

export interface ResourceMatcher {
  readonly pattern: string;
  /** True when the pattern has no wildcard: it matches exactly one resource, itself. */
  readonly exact: boolean;
  matches(resource: string): boolean;
}

/** Compiles a pattern once; throws a ValidationError (naming `field`) when it is invalid. */
export function compileResourcePattern(pattern: string, field = 'resource'): ResourceMatcher {
  const problem = resourcePatternProblem(pattern);
  if (problem !== undefined) {
    throw new ValidationError(
      `${field}: resource pattern ${JSON.stringify(pattern)} ${problem}; expected ${RESOURCE_PATTERN_EXPECTATION}`,
      { field },
    );
  }
  if (!pattern.includes('*')) {
    return { pattern, exact: true, matches: (resource) => resource === pattern };
  }
  // The only regex metacharacter the allowed alphabet contains is `.`; `**` must be replaced
  // before `*` so it is not read as two single-segment stars.
  const source = pattern
    .replaceAll('.', '\\.')
    .replaceAll('**', '\u0000')
    .replaceAll('*', '[^/]*')
    .replaceAll('\u0000', '.*');
  const regex = new RegExp(`^${source}$`);
  return { pattern, exact: false, matches: (resource) => regex.test(resource) };
}
