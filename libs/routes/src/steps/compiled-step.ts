// The contract between the route runner and each step: a step reads and edits the record state
// and says whether the record goes on, is dropped by a filter, or fails (to the dead-letter topic).
import { showValue } from '@flotilla/errors';
import type { StepType } from '../route-definition';
import type { RecordState } from '../record-state';
import { isJsonObject, type JsonObject } from '../field-path';

export type StepResult =
  | { readonly kind: 'continue' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'fail'; readonly error: string };

export const CONTINUE: StepResult = Object.freeze({ kind: 'continue' });
export const DROP: StepResult = Object.freeze({ kind: 'drop' });

export function fail(error: string): StepResult {
  return { kind: 'fail', error };
}

export interface CompiledStep {
  readonly type: StepType;
  /** Never throws on purpose; the runner still turns a throw into a failure of this step. */
  run(state: RecordState): StepResult | Promise<StepResult>;
}

/** The value as a JSON object for steps that address its fields, or why it is not one. */
export function objectValue(state: RecordState): JsonObject | string {
  const value = state.value();
  if (value === undefined) return 'the record has no value';
  return isJsonObject(value) ? value : `expected the value to be a JSON object, got ${showValue(value)}`;
}

/**
 * Runs `edit` on the value of a step that rewrites it as an object; a record without a value (a
 * compaction tombstone) passes untouched, so deletes reach consumers.
 */
export function rewriteObjectValue(state: RecordState, edit: (value: JsonObject) => StepResult): StepResult {
  if (!state.hasValue) return CONTINUE;
  const value = objectValue(state);
  if (typeof value === 'string') return fail(value);
  state.changeValue();
  return edit(value);
}
