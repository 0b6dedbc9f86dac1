// `{ "key": { "field": "customer.id" } }`: the record key becomes the text of that field. The
// value is read, not rewritten, so its bytes pass through untouched.
import { showValue } from '@flotilla/errors';
import type { FieldPath } from '../route-definition';
import { MISSING, getField, splitFieldPath } from '../field-path';
import { CONTINUE, fail, objectValue, type CompiledStep } from './compiled-step';

export function compileKeyStep(spec: { readonly field: FieldPath }): CompiledStep {
  const path = splitFieldPath(spec.field);
  return {
    type: 'key',
    run: (state) => {
      const value = objectValue(state);
      if (typeof value === 'string') return fail(value);
      const field = getField(value, path);
      if (field === MISSING) return fail(`key field "${spec.field}" is missing`);
      if (typeof field !== 'string' && typeof field !== 'number' && typeof field !== 'boolean') {
        return fail(`key field "${spec.field}" holds ${showValue(field)}, expected a string, number or boolean`);
      }
      state.key = Buffer.from(String(field), 'utf8');
      return CONTINUE;
    },
  };
}
