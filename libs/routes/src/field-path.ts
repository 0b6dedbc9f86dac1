// Dotted paths into a parsed JSON value (`customer.id`). They walk object fields only, never
// array elements, and only own properties, so `constructor` or `toString` never resolve to
// something JSON did not contain.
import { showValue } from '@flotilla/errors';

const RESERVED_SEGMENT = '__proto__';
export const MAX_FIELD_PATH_LENGTH = 1_000;

export type JsonObject = Record<string, unknown>;

/** Marks a field that is not there, as distinct from a field holding JSON null. */
export const MISSING: unique symbol = Symbol('missing');

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `text` is not a field path, or undefined when it is one. */
export function fieldPathProblem(text: string): string | undefined {
  if (text.length > MAX_FIELD_PATH_LENGTH) {
    return `expected a field path of at most ${MAX_FIELD_PATH_LENGTH} characters, got ${text.length}`;
  }
  const segments = text.split('.');
  if (segments.some((segment) => segment === '')) {
    return `expected a dotted field path such as "customer.id" (no empty parts), got ${JSON.stringify(text)}`;
  }
  // Assigning to "__proto__" replaces an object's prototype instead of adding a field.
  if (segments.includes(RESERVED_SEGMENT)) {
    return `expected a field path without "${RESERVED_SEGMENT}", which JavaScript objects reserve, got ${JSON.stringify(text)}`;
  }
  return undefined;
}

export function splitFieldPath(text: string): readonly string[] {
  return text.split('.');
}

export function getField(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const segment of path) {
    if (!isJsonObject(current) || !Object.hasOwn(current, segment)) return MISSING;
    current = current[segment];
  }
  return current;
}

/** Removes the field at `path`, returning what it held (MISSING when there was none). */
export function takeField(root: unknown, path: readonly string[]): unknown {
  const parent = getField(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last === undefined || !isJsonObject(parent) || !Object.hasOwn(parent, last)) return MISSING;
  const value = parent[last];
  delete parent[last];
  return value;
}

/**
 * Sets the field at `path`, creating missing objects on the way. Returns why it could not (a
 * part of the path holds something other than an object), or undefined when it did.
 */
export function setField(root: JsonObject, path: readonly string[], value: unknown): string | undefined {
  let current = root;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i] as string;
    if (!Object.hasOwn(current, segment)) current[segment] = {};
    const next = current[segment];
    if (!isJsonObject(next)) {
      return `"${path.slice(0, i + 1).join('.')}" holds ${showValue(next)}, not an object`;
    }
    current = next;
  }
  current[path[path.length - 1] as string] = value;
  return undefined;
}
