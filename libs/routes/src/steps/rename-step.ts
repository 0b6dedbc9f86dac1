// `{ "rename": { "old.path": "new.path" } }`: moves fields, in the order written. Unlike a
// projection, a rename names a field the record must have: a missing one fails the step, so a
// consumer never silently gets records without the field it was promised under the new name.
import type { FieldPath } from '../route-definition';
import { MISSING, setField, splitFieldPath, takeField } from '../field-path';
import { CONTINUE, fail, rewriteObjectValue, type CompiledStep } from './compiled-step';

export function compileRenameStep(spec: Readonly<Record<FieldPath, FieldPath>>): CompiledStep {
  const moves = Object.entries(spec).map(([from, to]) => ({ from, to, fromPath: splitFieldPath(from), toPath: splitFieldPath(to) }));
  return {
    type: 'rename',
    run: (state) =>
      rewriteObjectValue(state, (value) => {
        for (const move of moves) {
          const field = takeField(value, move.fromPath);
          if (field === MISSING) return fail(`cannot rename "${move.from}": the value has no such field`);
          const problem = setField(value, move.toPath, field);
          if (problem !== undefined) return fail(`cannot rename "${move.from}" to "${move.to}": ${problem}`);
        }
        return CONTINUE;
      }),
  };
}
