// `{ "reshape": "<JSONata>" }`: the expression's result becomes the new value. A result of
// nothing (the expression matched no data) fails the step rather than producing an empty record.
import type { RecordState } from '../record-state';
import { compileExpression } from '../expression';
import { CONTINUE, fail, type CompiledStep } from './compiled-step';
import { evaluateOnRecord } from './evaluate-on-record';

export function compileReshapeStep(source: string): CompiledStep {
  const expression = compileExpression(source);
  return {
    type: 'reshape',
    run: (state: RecordState) => {
      // A record without a value (a compaction tombstone) stays one: deletes must reach consumers.
      if (!state.hasValue) return CONTINUE;
      return evaluateOnRecord(expression, state).then((result) => {
        if (result === undefined) return fail('the reshape expression gave nothing (it matched no data)');
        if (isFunction(result)) return fail('the reshape expression gave a function, expected JSON data');
        state.changeValue(result);
        return CONTINUE;
      });
    },
  };
}

// JSONata's own lambdas are objects marked as such, not JavaScript functions.
function isFunction(result: unknown): boolean {
  if (typeof result === 'function') return true;
  return typeof result === 'object' && result !== null && ('_jsonata_lambda' in result || '_jsonata_function' in result);
}
