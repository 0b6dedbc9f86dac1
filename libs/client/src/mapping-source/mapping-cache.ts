// The on-disk copy of the last good version, so a client starts and keeps working while
// management is down (ARCHITECTURE.md §2). The file holds the version's document text exactly as
// received: it is itself a valid mapping document, readable by fileMappingSource and by people.
import { ValidationError } from '@flotilla/errors';
import type { CompiledMapping } from '@flotilla/mapping';
import { readFile } from 'node:fs/promises';
import { atomicWriteFile } from './atomic-write-file';
import { compileMappingText } from './mapping-text';

export type CachedMapping =
  | { readonly kind: 'missing' }
  | { readonly kind: 'loaded'; readonly raw: string; readonly mapping: CompiledMapping }
  | { readonly kind: 'unusable'; readonly raw: string; readonly error: ValidationError };

/** Never throws: a cache is an optimisation, so every failure is a result to report and ignore. */
export async function readMappingCache(path: string): Promise<CachedMapping> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    return { kind: 'unusable', raw: '', error: unusable(path, error) };
  }
  try {
    return { kind: 'loaded', raw, mapping: compileMappingText(raw) };
  } catch (error) {
    return { kind: 'unusable', raw, error: unusable(path, error) };
  }
}

export function writeMappingCache(path: string, raw: string): Promise<void> {
  return atomicWriteFile(path, raw);
}

function unusable(path: string, cause: unknown): ValidationError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ValidationError(`mapping cache file "${path}" is unusable and was ignored: ${reason}`, { cause });
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
