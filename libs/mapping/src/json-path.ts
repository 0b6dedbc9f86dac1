// Renders issue locations as a reader would write them in JavaScript, so an operator can find
// the spot in the document: identifiers after dots, anything else as a quoted bracket.

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of the document itself, where there is no key to name. */
export const ROOT_PATH = '(root)';

export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return ROOT_PATH;
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const MAX_SHOWN_STRING = 80;

/** A value as an error message shows it: short JSON for scalars, a kind for containers. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return value.length > MAX_SHOWN_STRING
      ? `${JSON.stringify(value.slice(0, MAX_SHOWN_STRING))}… (${value.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
