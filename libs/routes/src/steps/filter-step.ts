// `{ "filter": "<JSONata>" }`: keeps a record when the predicate gives true, drops it when it
// gives false. Anything else (a missing field's undefined, a string) is a failed step, never a
// silent drop: only an explicit false loses a record.
import { showValue } from '@flotilla/errors';
import { compileExpression } from '../expression';
import { CONTINUE, DROP, fail, type CompiledStep } from './compiled-step';
import { evaluateOnRecord } from './evaluate-on-record';

export function compileFilterStep(source: string): CompiledStep {
  const expression = compileExpression(source);
  return {
    type: 'filter',
    run: (state) =>
      evaluateOnRecord(expression, state).then((result) => {
        if (result === true) return CONTINUE;
        if (result === false) return DROP;
        return fail(`the filter gave ${showValue(result)}, expected true or false`);
      }),
  };
}
